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
}
