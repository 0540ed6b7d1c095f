/// Plain-words descriptions of scopes for the consent page.
public enum ScopeDescriptions {
    public static func describe(_ scope: String) -> (title: String, description: String) {
        switch scope {
        case "openid": ("Know who you are", "Confirm your identity with your account identifier.")
        case "profile": ("See your profile", "Your name, username, picture, locale and time zone.")
        case "email": ("See your email address", "Your email address and whether it is verified.")
        case "address": ("See your postal address", "The address stored in your account.")
        case "phone": ("See your phone number", "Your phone number and whether it is verified.")
        case "offline_access": ("Stay connected", "Keep access while you are not using the application.")
        default: ("Use “\(scope)”", "Access granted by the “\(scope)” permission.")
        }
    }

    /// A claim asked for by name (the `claims` parameter), in plain words.
    public static func describe(claim: String) -> String {
        switch claim {
        case "name": "Your full name"
        case "given_name": "Your given name"
        case "family_name": "Your family name"
        case "preferred_username": "Your username"
        case "picture": "Your profile picture"
        case "locale": "Your language"
        case "zoneinfo": "Your time zone"
        case "updated_at": "When your profile last changed"
        case "email": "Your email address"
        case "email_verified": "Whether your email address is verified"
        case "address": "Your postal address"
        case "phone_number": "Your phone number"
        case "phone_number_verified": "Whether your phone number is verified"
        default: "“\(claim)”"
        }
    }
}
