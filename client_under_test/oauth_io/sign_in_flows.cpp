// The interactive sign-ins of TokenSource: device code (RFC 8628) and authorization code with PKCE
// (RFC 7636) through a loopback redirect (RFC 8252 7.3). The polling rules are DevicePoll's.
#include <openssl/rand.h>
#include <spawn.h>
#include <sys/wait.h>

#include <thread>

#include "oauth/client_assertion.hpp"
#include "oauth/device_poll.hpp"
#include "oauth_io/loopback_redirect.hpp"
#include "oauth_io/token_source.hpp"

extern char** environ;

namespace exosim::client::oauth {
namespace {

using std::chrono::seconds;

std::string random_octets(std::size_t n) {
    std::string raw(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("no randomness from OpenSSL");
    return raw;
}

TokenFailure failure_of(PollOutcome o) {
    switch (o) {
    case PollOutcome::declined: return TokenFailure::declined;
    case PollOutcome::expired: return TokenFailure::expired;
    default: return TokenFailure::failed;
    }
}

// What a device's panel shows (Canon: "user code + link"; reference §2): one block, nothing else.
std::string panel_text(const DeviceCode& d) {
    const std::string rule(64, '-');
    return rule + "\n  Sign in to send mail\n  On a phone or computer, open:  " + d.verification_uri +
           "\n  and enter the code:            " + d.user_code + "\n  The code expires in " +
           std::to_string(d.expires_in / 60) + " minutes.\n" + rule;
}

// Runs `/bin/sh -c 'CMD "$1"' sh URL`: the URL reaches the command as one argument, unquoted by no one.
void launch_browser(const std::string& cmd, const std::string& url) {
    const std::string script = cmd + " \"$1\"";
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), "sh", url.c_str(), nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0)
        throw std::runtime_error("cannot run --auth-code-browser " + cmd);
}

}  // namespace

TokenOutcome TokenSource::device_code() {
    const DeviceCodeReply reply =
        parse_device_code_reply(post_retrying(o_.authority.devicecode_path(),
                                              [&] { return device_code_request(o_.client_id, o_.scope); }));
    if (const auto* e = std::get_if<TokenError>(&reply)) return TokenOutcome::failed(TokenFailure::failed, "device code: " + describe(*e));
    const DeviceCode& code = std::get<DeviceCode>(reply);
    say(panel_text(code));
    const auto issued = std::chrono::steady_clock::now();
    DevicePoll poll(code, o_.quirks.poll_too_fast);
    PollStep step = poll.start();
    const FormParams params = device_token_request(o_.client_id, code.device_code);
    std::optional<TokenReply> last;
    while (step.outcome == PollOutcome::wait_then_poll) {
        std::this_thread::sleep_for(step.wait);
        ++requests_;
        last = parse_token_reply(https_post_form(o_.target, o_.authority.token_path(), form_encode(params)));
        step = poll.on_reply(*last, std::chrono::duration_cast<seconds>(std::chrono::steady_clock::now() - issued));
    }
    if (step.outcome == PollOutcome::success) return store(std::get<TokenSuccess>(*last), "device_code", {});
    return TokenOutcome::failed(failure_of(step.outcome), step.reason);
}

TokenOutcome TokenSource::auth_code() {
    LoopbackRedirect listener;
    const std::string redirect_uri = "http://localhost:" + std::to_string(listener.port()) + "/";
    const std::string verifier = pkce_verifier_from(random_octets(32));
    const std::string state = base64url(random_octets(16));
    const std::string url = o_.authority.authorize_url() + "?" +
        form_encode(authorize_query(o_.client_id, o_.scope, redirect_uri, state, pkce_challenge_s256(verifier)));
    say(std::string(64, '-') + "\n  Sign in to send mail: open this address in a browser\n  " + url + "\n" +
        std::string(64, '-'));
    if (!o_.browser_cmd.empty()) launch_browser(o_.browser_cmd, url);
    const std::optional<FormParams> query = listener.wait(o_.auth_code_wait);
    if (!query) return TokenOutcome::failed(TokenFailure::expired, "no sign-in reached " + redirect_uri + " in time");
    if (form_get(*query, "state") != state) return TokenOutcome::failed(TokenFailure::failed, "the redirect's state does not match");
    if (auto error = form_get(*query, "error")) {
        const std::string why = *error + ": " + form_get(*query, "error_description").value_or("");
        return TokenOutcome::failed(*error == "access_denied" ? TokenFailure::declined : TokenFailure::failed, "sign-in: " + why);
    }
    const std::string code = *form_get(*query, "code");
    TokenReply reply = post_token([&] { return auth_code_request(o_.client_id, o_.scope, code, redirect_uri, verifier); });
    if (const auto* s = std::get_if<TokenSuccess>(&reply)) return store(*s, "auth_code", {});
    return TokenOutcome::failed(TokenFailure::failed, "redeeming the code: " + describe(std::get<TokenError>(reply)));
}

}  // namespace exosim::client::oauth
