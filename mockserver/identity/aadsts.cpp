#include "identity/aadsts.hpp"

#include <algorithm>
#include <stdexcept>

namespace exosim::identity {

namespace {

// One row per code (the catalogue test checks uniqueness and the envelope of each).
constexpr AadstsEntry entries[] = {
    {50011, "invalid_request", 400, "",
     "The redirect URI '{0}' specified in the request does not match the redirect URIs configured for the "
     "application '{1}'. Make sure the redirect URI sent in the request matches one added to your application "
     "in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
     "[DOC] issue 14 'Bad input'"},
    {50034, "invalid_grant", 400, "",
     "The user account {0} does not exist in the {1} directory. To sign into this application, the account must "
     "be added to the directory.",
     "reference §4 [DOC]"},
    {50053, "invalid_grant", 400, "",
     "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
     "reference §4 [DOC]"},
    {50055, "invalid_grant", 400, "user_password_expired",
     "The password is expired.", "reference §4 [DOC]; suberror from MSAL's list [INFER]"},
    {50057, "invalid_grant", 400, "", "The user account is disabled.", "reference §4 [DOC]"},
    {50058, "login_required", 400, "",
     "A silent sign-in request was sent but no user is signed in.", "[DOC] prompt=none without a session"},
    {50059, "invalid_request", 400, "",
     "No tenant-identifying information found in either the request or implied by any provided credentials.",
     "[DOC] app-only grant at /common or /organizations"},
    {50076, "invalid_grant", 400, "basic_action",
     "Due to a configuration change made by your administrator, or because you moved to a new location, you "
     "must use multi-factor authentication to access '{0}'.",
     "reference §4 [WIRE]; suberror [INFER]"},
    {50079, "interaction_required", 400, "",
     "Due to a configuration change made by your administrator, or because you moved to a new location, you "
     "must enroll in multi-factor authentication to access '{0}'.",
     "reference §4 [DOC]"},
    {50126, "invalid_grant", 400, "",
     "Error validating credentials due to invalid username or password.", "reference §4 [WIRE]"},
    {50173, "invalid_grant", 400, "",
     "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have "
     "changed or reset their password. The grant was issued on '{0}' and the TokensValidFrom date (before which "
     "tokens are not valid) for this user is '{1}'.",
     "reference §4 [DOC]"},
    {50196, "slow_down", 400, "",
     "The server terminated an operation because it encountered a client request loop. Please contact your "
     "app vendor.",
     "reference §4 [WIRE] (loop detected); error slow_down per RFC 8628 3.5 [INFER]"},
    {53003, "interaction_required", 400, "message_only",
     "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
     "reference §4 [WIRE]"},
    {54005, "invalid_grant", 400, "",
     "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing "
     "refresh token.",
     "reference §4 [DOC]"},
    {65001, "invalid_grant", 400, "consent_required",
     "The user or administrator has not consented to use the application with ID '{0}' named '{1}'. Send an "
     "interactive authorization request for this user and resource.",
     "reference §4 [WIRE]"},
    {65004, "access_denied", 400, "", "User declined to consent to access the app.",
     "[DOC] consent or device code declined"},
    {70000, "invalid_grant", 400, "", "Provided grant is invalid or malformed.", "reference §4 [WIRE]"},
    {70003, "unsupported_grant_type", 400, "", "The app requested an unsupported grant type '{0}'.",
     "[DOC] issue 14 'unsupported_grant_type'"},
    {70008, "invalid_grant", 400, "",
     "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive "
     "authorization request for this user and resource.",
     "reference §4 [DOC]"},
    {70011, "invalid_scope", 400, "",
     "The provided value for the input parameter 'scope' is not valid. The scope {0} is not valid.",
     "reference §4 [DOC]"},
    {70016, "authorization_pending", 400, "",
     "The provided request has not yet been authorized by the user.", "reference §4 [WIRE]"},
    {70020, "expired_token", 400, "", "This device code has expired.", "reference §4 [WIRE]"},
    {70043, "invalid_grant", 400, "token_expired",
     "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The "
     "token was issued on {0} and the maximum allowed lifetime for this request is {1}.",
     "reference §4 [WIRE]"},
    {90002, "invalid_tenant", 400, "",
     "Tenant '{0}' not found. Check to make sure you have the correct tenant ID and are signing into the correct "
     "cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for "
     "the tenant.",
     "reference §3/§4 [WIRE]"},
    {90015, "invalid_request", 400, "", "Requested query string is too long.",
     "[DOC] QueryStringTooLong; limit [INFER]"},
    {90033, "temporarily_unavailable", 503, "", "A transient error has occurred. Please try again.",
     "[DOC] transient error; used for the token endpoint fault (issue 14 'Faults')"},
    {90100, "invalid_request", 400, "", "{0} parameter is empty or not valid.", "[DOC] InvalidRequestParameter"},
    {501481, "invalid_grant", 400, "",
     "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
     "reference §4 [DOC]"},
    {700016, "unauthorized_client", 400, "",
     "Application with identifier '{0}' was not found in the directory '{1}'. This can happen if the application "
     "has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may "
     "have sent your authentication request to the wrong tenant.",
     "reference §4 [WIRE]"},
    {700021, "invalid_client", 401, "",
     "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at "
     "https://aka.ms/certCreds .",
     "[DOC] client assertion iss/sub"},
    {700024, "invalid_client", 401, "",
     "Client assertion is not within its valid time range. Current time: {0}, assertion valid from {1}, expiry "
     "time of assertion {2}. Review the documentation at https://aka.ms/certCreds .",
     "[DOC] client assertion exp/nbf"},
    {700025, "invalid_client", 401, "",
     "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
     "[DOC] public client with a credential"},
    {700027, "invalid_client", 401, "", "Client assertion failed signature validation. [Reason - {0}]",
     "[DOC] issue 14 'forged, expired or foreign client assertion'; reasons [INFER]"},
    {700051, "unsupported_response_type", 400, "", "response_type '{0}' is not enabled for the application.",
     "[DOC] /authorize response_type"},
    {700082, "invalid_grant", 400, "",
     "The refresh token has expired due to inactivity. The token was issued on {0} and was inactive for {1}.",
     "reference §4 [WIRE]"},
    {900144, "invalid_request", 400, "", "The request body must contain the following parameter: '{0}'.",
     "reference §4 [WIRE]"},
    {900561, "invalid_request", 400, "",
     "The endpoint only accepts {0} requests. Received a {1} request.", "[DOC] wrong method on an endpoint"},
    {1002012, "invalid_scope", 400, "",
     "The provided value for scope {0} is not valid. Client credential flows must have a scope value with "
     "/.default suffixed to the resource identifier (application ID URI).",
     "[DOC] client_credentials scope"},
    {7000012, "invalid_grant", 400, "", "The grant was obtained for a different tenant.", "reference §4 [WIRE]"},
    {7000215, "invalid_client", 401, "",
     "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not "
     "the client secret ID, for a secret added to app '{0}'.",
     "reference §4 [WIRE]"},
    {7000218, "invalid_client", 401, "",
     "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
     "reference §4 [DOC][INFER]"},
    {7000222, "invalid_client", 401, "",
     "The provided client secret keys for app '{0}' are expired. Visit the Azure portal to create new keys for "
     "your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
     "https://aka.ms/certCreds.",
     "reference §4 [DOC]"},
    {9002313, "invalid_request", 400, "", "Invalid request. Request is malformed or invalid. - {0}",
     "[DOC] malformed request; used for bad form bodies and duplicate parameters [INFER]"},
    // Codes below are Entra's for the states the issue names where the reference gives no number.
    {9002327, "invalid_request", 400, "",
     "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
     "[DOC] listed for completeness; never returned (no SPA clients here)"},
    {9002331, "invalid_request", 400, "",
     "Application '{0}'({1}) is configured for use by Microsoft Account users only.",
     "[DOC] listed for completeness; never returned"},
    {90014, "invalid_request", 400, "",
     "The required field '{0}' is missing from the credential. Ensure that you have all the necessary parameters "
     "for the login request.",
     "[DOC] a missing field inside a credential (client assertion claim)"},
    {90023, "invalid_request", 400, "", "Unsupported content type '{0}': use application/x-www-form-urlencoded.",
     "[INFER] Entra's code for a wrong Content-Type was not found"},
    {7000112, "unauthorized_client", 400, "", "Application '{0}'({1}) is disabled.",
     "[DOC] listed for completeness; never returned"},
    {70001, "unauthorized_client", 400, "", "The application '{0}' is not allowed to use the grant '{1}'.",
     "[INFER] device code / ROPC not enabled on the app (Entra: 'Allow public client flows')"},
};

}  // namespace

std::span<const AadstsEntry> aadsts_catalogue() { return entries; }

const AadstsEntry* find_aadsts(unsigned code) {
    for (const auto& e : entries) {
        if (e.code == code) return &e;
    }
    return nullptr;
}

namespace {

std::string fill(std::string_view text, const std::vector<std::string>& args) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '9') {
            const auto n = static_cast<std::size_t>(text[i + 1] - '0');
            out += n < args.size() ? args[n] : std::string();
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

AadError aad_error(unsigned code, std::vector<std::string> args) {
    const AadstsEntry* e = find_aadsts(code);
    if (e == nullptr) throw std::logic_error("AADSTS" + std::to_string(code) + " is not in the catalogue");
    return AadError{code, std::string(e->error), e->status, std::string(e->suberror), fill(e->text, args)};
}

AadError aad_error_as(unsigned code, std::string_view error, std::vector<std::string> args) {
    AadError out = aad_error(code, std::move(args));
    out.error = std::string(error);
    return out;
}

}  // namespace exosim::identity
