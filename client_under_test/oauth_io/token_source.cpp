#include "oauth_io/token_source.hpp"

#include <openssl/rand.h>

#include <boost/json.hpp>
#include <ctime>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/base64.hpp"
#include "oauth/client_assertion.hpp"
#include "oauth/cache_file.hpp"

namespace exosim::client::oauth {
namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string random_hex(std::size_t octets) {
    std::string raw(octets, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(octets)) != 1)
        throw std::runtime_error("no randomness from OpenSSL");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) out += {digits[c >> 4], digits[c & 0xF]};
    return out;
}

}  // namespace

std::string token_account(const std::string& access_token) {
    const std::size_t a = access_token.find('.');
    const std::size_t b = a == std::string::npos ? a : access_token.find('.', a + 1);
    if (b == std::string::npos) return {};
    std::string part = access_token.substr(a + 1, b - a - 1);
    for (char& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (part.size() % 4 != 0) part += '=';
    const std::optional<std::string> payload = core::base64_decode(part);
    if (!payload) return {};
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*payload, ec);
    if (ec || !v.is_object()) return {};
    for (const char* claim : {"upn", "unique_name", "preferred_username"}) {
        if (const auto* s = v.as_object().if_contains(claim); s && s->is_string()) return std::string(s->as_string());
    }
    return {};
}

TokenSource::TokenSource(OAuthOptions options) : o_(std::move(options)) {}

void TokenSource::say(const std::string& line) const {
    if (o_.panel) *o_.panel << line << std::endl;
}

TokenOutcome TokenSource::acquire() {
    if (!o_.cache_path.empty()) cache_ = load_cache(o_.cache_path);  // CacheError: a clear stop
    if (cache_ && !cache_->matches(o_.authority_text, o_.client_id, o_.scope)) {
        say("exosim-client: the token cache is for another authority, client or scope; signing in again");
        cache_.reset();
    }
    TokenOutcome t = from_cache_or_refresh(false);
    t.token_requests = requests_;
    return t;
}

TokenOutcome TokenSource::after_rejection() {
    say("exosim-client: the server refused the access token (535 5.7.3); getting a new one, once");
    // --quirk expired-token never fetches a new one: it keeps presenting what it has.
    if (o_.quirks.expired_token) return TokenOutcome::failed(TokenFailure::failed, "the token was refused (535 5.7.3)");
    TokenOutcome t = from_cache_or_refresh(true);
    t.token_requests = requests_;
    return t;
}

TokenOutcome TokenSource::from_cache_or_refresh(bool force_refresh) {
    if (cache_ && !force_refresh && !cache_->access_token.empty()) {
        // --quirk expired-token presents whatever is cached, however old.
        const bool fresh = access_token_fresh(*cache_, now_seconds());
        if (fresh || o_.quirks.expired_token) {
            return TokenOutcome::got(cache_->access_token, cache_->account, "cache");
        }
    }
    if (cache_ && !cache_->refresh_token.empty()) return refresh(*cache_);
    return sign_in();
}

ClientCredential TokenSource::credential() {
    ClientCredential c;
    c.secret = o_.client_secret;
    if (o_.cert_file.empty()) return c;
    AssertionInput in{read_text(o_.cert_file), read_text(o_.key_file), o_.client_id, o_.authority.token_url(),
                      random_hex(16), now_seconds(), o_.rs256 ? AssertionAlg::rs256 : AssertionAlg::ps256};
    std::string why;
    std::optional<std::string> jwt = make_client_assertion(in, why);
    if (!jwt) throw std::runtime_error(o_.cert_file + ": " + why);
    c.assertion = *jwt;
    return c;
}

// One request with bounded retries on 5xx/timeouts, honouring Retry-After (issue 13 "Outages").
// Only the error classification of the token envelope is used here, so /devicecode shares it. The
// form is built again for every attempt: a client assertion's jti must never be sent twice.
HttpAnswer TokenSource::post_retrying(const std::string& path, const MakeForm& make_form) {
    for (int attempt = 1;; ++attempt) {
        ++requests_;
        HttpAnswer answer = https_post_form(o_.target, path, form_encode(make_form()));
        const TokenReply reply = parse_token_reply(answer);
        const TokenError* e = std::get_if<TokenError>(&reply);
        const std::optional<std::chrono::seconds> delay =
            e == nullptr ? std::nullopt : retry_delay(*e, attempt, o_.quirks.ignore_retry_after);
        if (!delay) return answer;
        say("exosim-client: " + path + ": " + describe(*e) + "; retrying in " + std::to_string(delay->count()) + " s");
        std::this_thread::sleep_for(*delay);
    }
}

TokenReply TokenSource::post_token(const MakeForm& make_form) {
    return parse_token_reply(post_retrying(o_.authority.token_path(), make_form));
}

TokenOutcome TokenSource::refresh(const TokenCache& cache) {
    const bool confidential = o_.flow == Flow::client_credentials;
    const MakeForm params = [&] {
        return refresh_request(o_.client_id, o_.scope, cache.refresh_token, confidential ? credential() : ClientCredential{});
    };
    // --quirk loop-invalid-grant keeps presenting a dead refresh token (bounded so the run ends).
    const int tries = o_.quirks.loop_invalid_grant ? invalid_grant_loop : 1;
    for (int i = 1;; ++i) {
        TokenReply reply = post_token(params);
        if (const auto* s = std::get_if<TokenSuccess>(&reply)) return store(*s, "refresh", cache.refresh_token);
        const TokenError& e = std::get<TokenError>(reply);
        if (e.kind != ErrorClass::sign_in_again) return TokenOutcome::failed(TokenFailure::failed, "refreshing the token: " + describe(e));
        if (i >= tries) {
            return TokenOutcome::failed(TokenFailure::sign_in_again,
                           "the refresh token is no longer valid (" + describe(e) + "); sign in again");
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

TokenOutcome TokenSource::sign_in() {
    switch (o_.flow) {
    case Flow::device_code: return device_code();
    case Flow::client_credentials: return client_credentials();
    case Flow::auth_code: return auth_code();
    }
    return TokenOutcome::failed(TokenFailure::failed, "unknown flow");
}

TokenOutcome TokenSource::client_credentials() {
    TokenReply reply = post_token([&] { return client_credentials_request(o_.client_id, o_.scope, credential()); });
    if (const auto* s = std::get_if<TokenSuccess>(&reply)) return store(*s, "client_credentials", {});
    return TokenOutcome::failed(TokenFailure::failed, "client credentials: " + describe(std::get<TokenError>(reply)));
}

// Keeps the newest refresh token (or, with --quirk stale-refresh-token, the first one ever cached).
TokenOutcome TokenSource::store(const TokenSuccess& s, const std::string& source, const std::string& old_refresh) {
    TokenCache c;
    c.authority = o_.authority_text;
    c.client_id = o_.client_id;
    c.scope = o_.scope;
    c.account = token_account(s.access_token);
    c.access_token = s.access_token;
    c.expires_at = now_seconds() + s.expires_in;
    c.refresh_token = s.refresh_token.empty() ? old_refresh : s.refresh_token;
    if (o_.quirks.stale_refresh_token && !old_refresh.empty()) c.refresh_token = old_refresh;
    c.refreshed_at = s.refresh_token.empty() && cache_ ? cache_->refreshed_at : now_seconds();
    if (!o_.cache_path.empty()) save_cache(o_.cache_path, c);
    cache_ = c;
    return TokenOutcome::got(s.access_token, c.account, source);
}

}  // namespace exosim::client::oauth
