import CustosCore
import Foundation
import Testing

/// scrypt password hashes in PHC string format (`$scrypt$ln=…,r=…,p=…$salt$hash`).
@Suite("Password hashing")
struct PasswordHasherTests {
    /// A cheap cost for everything but the one OWASP-cost test.
    static let fast = PasswordHasher(parameters: .testing)

    /// The five `$`-separated fields of a PHC string (the first empty).
    static func fields(_ phc: String) -> [String] {
        phc.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
    }

    /// PHC base64: standard alphabet, no padding.
    static func phcDecode(_ text: String) -> Data? {
        var padded = text
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded)
    }

    @Test("when a password is hashed then the result is a PHC scrypt string with the parameters, a 16-byte salt and the hash")
    func phcFormat() throws {
        let phc = try Self.fast.hash("correct horse battery staple")
        let fields = Self.fields(phc)
        try #require(fields.count == 5, "\(phc)")
        #expect(fields[0] == "")
        #expect(fields[1] == "scrypt")
        #expect(fields[2] == "ln=10,r=8,p=1")
        #expect(!fields[3].contains("="), "PHC base64 has no padding: \(phc)")
        #expect(!fields[4].contains("="), "PHC base64 has no padding: \(phc)")
        #expect(Self.phcDecode(fields[3])?.count == PasswordHasher.saltLength)
        #expect(PasswordHasher.saltLength == 16)
        #expect(Self.phcDecode(fields[4])?.count == PasswordHasher.hashLength)
        #expect(!phc.contains("correct horse"), "the hash contains the password")
    }

    @Test("when the same password is hashed twice then the salts and hashes differ")
    func saltedHashes() throws {
        let first = try Self.fast.hash("correct horse battery staple")
        let second = try Self.fast.hash("correct horse battery staple")
        #expect(first != second)
        #expect(Self.fields(first)[3] != Self.fields(second)[3])
        #expect(Self.fast.verify("correct horse battery staple", against: first).matches)
        #expect(Self.fast.verify("correct horse battery staple", against: second).matches)
    }

    @Test("when the right password is verified then it matches, and a wrong one does not")
    func verifyRightAndWrong() throws {
        let phc = try Self.fast.hash("correct horse battery staple")
        let right = Self.fast.verify("correct horse battery staple", against: phc)
        #expect(right.matches)
        #expect(!right.needsRehash, "a hash at the current parameters needs no rehash")
        for wrong in ["correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "] {
            let verification = Self.fast.verify(wrong, against: phc)
            #expect(!verification.matches, "\"\(wrong)\" matched")
            #expect(!verification.needsRehash, "a wrong password must not trigger a rehash")
        }
    }

    @Test("when a non-ASCII password is hashed then exactly it verifies")
    func unicodePassword() throws {
        let phc = try Self.fast.hash("pässwörd-ünïcödé-🔑")
        #expect(Self.fast.verify("pässwörd-ünïcödé-🔑", against: phc).matches)
        #expect(!Self.fast.verify("passwords-unicode-🔑", against: phc).matches)
    }

    @Test("when a hash made with a lower ln matches then needsRehash is reported, and not for a wrong password")
    func weakerHashNeedsRehash() throws {
        let old = PasswordHasher(parameters: PasswordHasher.Parameters(logN: 8, r: 8, p: 1))
        let phc = try old.hash("correct horse battery staple")
        #expect(Self.fields(phc)[2] == "ln=8,r=8,p=1")
        // The current hasher (ln=10) still reads the old hash with its own parameters.
        let match = Self.fast.verify("correct horse battery staple", against: phc)
        #expect(match.matches)
        #expect(match.needsRehash)
        let wrong = Self.fast.verify("wrong password entirely", against: phc)
        #expect(!wrong.matches)
        #expect(!wrong.needsRehash)
        // The old hasher itself sees no need to rehash its own hashes.
        let own = old.verify("correct horse battery staple", against: phc)
        #expect(own.matches && !own.needsRehash)
    }

    @Test("when a hash made with a higher ln than the current one matches then no rehash is asked for")
    func strongerHashNeedsNoRehash() throws {
        let stronger = PasswordHasher(parameters: PasswordHasher.Parameters(logN: 11, r: 8, p: 1))
        let phc = try stronger.hash("correct horse battery staple")
        let verification = Self.fast.verify("correct horse battery staple", against: phc)
        #expect(verification.matches)
        #expect(!verification.needsRehash)
    }

    @Test("when a PHC string is malformed then it is refused, never matched")
    func malformedRefused() throws {
        let good = try Self.fast.hash("correct horse battery staple")
        let parts = Self.fields(good)
        let salt = parts[3]
        let hash = parts[4]
        let malformed: [(String, String)] = [
            ("", "empty"),
            ("correct horse battery staple", "the password itself"),
            ("$scrypt$ln=10,r=8,p=1$\(salt)", "four fields"),
            ("$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$extra", "six fields"),
            ("scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$", "no leading $"),
            ("$argon2id$ln=10,r=8,p=1$\(salt)$\(hash)", "another algorithm"),
            ("$SCRYPT$ln=10,r=8,p=1$\(salt)$\(hash)", "algorithm in capitals"),
            ("$scrypt$r=8,p=1$\(salt)$\(hash)", "ln missing"),
            ("$scrypt$ln=10,p=1$\(salt)$\(hash)", "r missing"),
            ("$scrypt$ln=10,r=8$\(salt)$\(hash)", "p missing"),
            ("$scrypt$ln=ten,r=8,p=1$\(salt)$\(hash)", "ln not a number"),
            ("$scrypt$ln=10=1,r=8,p=1$\(salt)$\(hash)", "a parameter with two ="),
            ("$scrypt$ln=0,r=8,p=1$\(salt)$\(hash)", "ln zero"),
            ("$scrypt$ln=-3,r=8,p=1$\(salt)$\(hash)", "ln negative"),
            ("$scrypt$ln=40,r=8,p=1$\(salt)$\(hash)", "ln absurdly high"),
            ("$scrypt$ln=10,r=0,p=1$\(salt)$\(hash)", "r zero"),
            ("$scrypt$ln=10,r=8,p=0$\(salt)$\(hash)", "p zero"),
            ("$scrypt$ln=10,r=8,p=1$!!not*base64!!$\(hash)", "salt not base64"),
            ("$scrypt$ln=10,r=8,p=1$\(salt)$!!not*base64!!", "hash not base64"),
            ("$scrypt$ln=10,r=8,p=1$\(salt)$", "empty hash"),
            ("$scrypt$ln=10,r=8,p=1$\(salt)$\(String(hash.prefix(8)))", "hash too short"),
        ]
        for (phc, why) in malformed {
            let verification = Self.fast.verify("correct horse battery staple", against: phc)
            #expect(!verification.matches, "\(why): \(phc) matched")
            #expect(!verification.needsRehash, "\(why): \(phc) asked for a rehash")
        }
        // The untouched string still works, so the refusals above are about the damage.
        #expect(Self.fast.verify("correct horse battery staple", against: good).matches)
    }

    @Test("when the OWASP parameters are read then they are ln=17 (N=2^17), r=8, p=1, and the server default")
    func owaspParameters() {
        #expect(PasswordHasher.Parameters.owasp == PasswordHasher.Parameters(logN: 17, r: 8, p: 1))
        #expect(PasswordHasher().parameters == .owasp)
        #expect(ServerConfiguration(issuer: "https://custos.example").passwordHashing == .owasp)
        #expect(PasswordHasher.Parameters.testing.logN < PasswordHasher.Parameters.owasp.logN)
    }

    @Test("when a password is hashed at OWASP cost then the PHC string carries ln=17,r=8,p=1 and it verifies")
    func owaspHashAndVerify() throws {
        let hasher = PasswordHasher(parameters: .owasp)
        let phc = try hasher.hash("correct horse battery staple")
        #expect(phc.hasPrefix("$scrypt$ln=17,r=8,p=1$"), "\(phc)")
        let verification = hasher.verify("correct horse battery staple", against: phc)
        #expect(verification.matches)
        #expect(!verification.needsRehash)
        // A test-cost hash is weaker than OWASP and is upgraded at the next sign-in.
        let weak = try Self.fast.hash("correct horse battery staple")
        let upgrade = hasher.verify("correct horse battery staple", against: weak)
        #expect(upgrade.matches)
        #expect(upgrade.needsRehash)
    }
}

/// NIST SP 800-63B rules for user-chosen passwords.
@Suite("Password policy")
struct PasswordPolicyTests {
    @Test("when a password has 7 characters then it is refused; 8 are accepted")
    func minimumLength() {
        #expect(PasswordPolicy.problem(with: "Zq9!vR2") != nil)
        #expect(PasswordPolicy.problem(with: "Zq9!vR2") == "must be at least 8 characters")
        #expect(PasswordPolicy.problem(with: "Zq9!vR2x") == nil)
        #expect(PasswordPolicy.problem(with: "") != nil)
    }

    @Test("when a password has 257 characters then it is refused; 256 are accepted")
    func maximumLength() {
        let base = "tV7#kQ2m"  // not a common password
        let of256 = String(repeating: base, count: 32)
        #expect(of256.count == 256)
        #expect(PasswordPolicy.problem(with: of256) == nil)
        #expect(PasswordPolicy.problem(with: of256 + "x") == "must be at most 256 characters")
    }

    @Test("when lengths are counted then characters, not bytes, count")
    func lengthInCharacters() {
        // 8 characters of 2 bytes each: long enough, though not 16 characters.
        #expect(PasswordPolicy.problem(with: "ääääöööö") == nil)
        #expect(PasswordPolicy.problem(with: "äääöööü") != nil, "7 characters (14 bytes) must be refused")
    }

    @Test(
        "when a common password is chosen then it is refused, whatever its case",
        arguments: [
            "password123", "Password1", "PASSWORD", "password", "12345678", "qwertyuiop", "iloveyou", "Passw0rd",
        ]
    )
    func commonRefused(password: String) {
        #expect(PasswordPolicy.problem(with: password) == "is too common; choose another", "\(password)")
    }

    @Test(
        "when a password has no digits, capitals or symbols then no composition rule refuses it",
        arguments: [
            "correct horse battery staple", "aaaaaaaa-but-long", "alllowercaseletters", "ALLUPPERCASELETTERS", "1029384756102938",
            "        spaces too",
        ]
    )
    func noCompositionRules(password: String) {
        #expect(PasswordPolicy.problem(with: password) == nil, "\(password)")
    }

    @Test("when the user validator checks a weak password then the error names the password field")
    func validatorNamesField() {
        #expect(throws: AdminError.invalidField(field: "password", message: "must be at least 8 characters")) {
            try UserValidator.password("short")
        }
        #expect(throws: AdminError.invalidField(field: "password", message: "is too common; choose another")) {
            try UserValidator.password("Password1")
        }
        #expect(throws: Never.self) { try UserValidator.password("correct horse battery staple") }
    }
}
