#pragma once
// Where exosim-client's access token comes from with --oauth: the cache, a refresh, or a new
// sign-in (device code, client credentials, authorization code), in that order, and what it does
// when the SMTP server refuses the token. The rules are issue 13's "Refresh", "invalid_grant" and
// "Outages"; each --quirk breaks one of them on purpose.
#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <utility>

#include "oauth/authority.hpp"
#include "oauth/token_cache.hpp"
#include "oauth/token_request.hpp"
#include "oauth_io/https_client.hpp"
#include "reference/quirks.hpp"

namespace exosim::client::oauth {

enum class Flow { device_code, client_credentials, auth_code };

// --quirk loop-invalid-grant retries a dead refresh token this many times (bounded, so it ends).
inline constexpr int invalid_grant_loop = 10;

struct OAuthOptions {
    Flow flow = Flow::device_code;
    std::string authority_text;  // as given: part of the cache key
    Authority authority;
    std::string client_id;
    std::string client_secret;
    std::string cert_file;
    std::string key_file;
    bool rs256 = false;  // sign assertions RS256 (x5t) instead of PS256 (x5t#S256)
    std::string scope;
    HttpsTarget target;  // host/port from the authority, connect address, CA
    std::string cache_path;  // empty: no cache
    std::string browser_cmd;  // auth-code: run "CMD URL" to open the sign-in page
    std::chrono::seconds auth_code_wait{300};
    Quirks quirks;
    std::ostream* panel = nullptr;  // where the device panel text goes (stderr)
};

enum class TokenFailure { none, sign_in_again, declined, expired, failed };

struct TokenOutcome {
    TokenFailure failure = TokenFailure::none;
    std::string access_token;
    std::string account;   // the token's user, for XOAUTH2 user= when --user is not given
    std::string source;    // cache | refresh | device_code | client_credentials | auth_code
    std::string message;   // why it failed
    int token_requests = 0;  // requests to the token and devicecode endpoints

    static TokenOutcome got(std::string token, std::string account, std::string source) {
        TokenOutcome t;
        t.access_token = std::move(token);
        t.account = std::move(account);
        t.source = std::move(source);
        return t;
    }
    static TokenOutcome failed(TokenFailure kind, std::string message) {
        TokenOutcome t;
        t.failure = kind;
        t.message = std::move(message);
        return t;
    }
};

class TokenSource {
public:
    explicit TokenSource(OAuthOptions options);
    TokenOutcome acquire();
    // After 535 5.7.3 on the token from acquire(): a new token, once (the caller retries once).
    TokenOutcome after_rejection();

private:
    TokenOutcome from_cache_or_refresh(bool force_refresh);
    TokenOutcome refresh(const TokenCache& cache);
    TokenOutcome sign_in();
    TokenOutcome device_code();
    TokenOutcome client_credentials();
    TokenOutcome auth_code();
    using MakeForm = std::function<FormParams()>;
    HttpAnswer post_retrying(const std::string& path, const MakeForm& make_form);
    TokenReply post_token(const MakeForm& make_form);
    TokenOutcome store(const TokenSuccess& s, const std::string& source, const std::string& old_refresh);
    ClientCredential credential();
    void say(const std::string& line) const;

    OAuthOptions o_;
    std::optional<TokenCache> cache_;
    int requests_ = 0;
};

// The account in an access token (upn, unique_name or preferred_username claim), read without
// verifying: it only fills XOAUTH2 user=. Empty when the token is not a JWT.
std::string token_account(const std::string& access_token);

}  // namespace exosim::client::oauth
