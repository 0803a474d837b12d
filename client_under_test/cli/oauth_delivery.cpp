#include "cli/oauth_delivery.hpp"

#include <iostream>

#include "oauth/cache_file.hpp"

namespace exosim::client::cli {
namespace json = boost::json;
using oauth::TokenFailure;
using oauth::TokenOutcome;

namespace {

const char* failure_name(TokenFailure f) {
    switch (f) {
    case TokenFailure::sign_in_again: return "sign_in_again";
    case TokenFailure::declined: return "declined";
    case TokenFailure::expired: return "expired";
    case TokenFailure::failed: return "failed";
    case TokenFailure::none: break;
    }
    return "none";
}

const char* flow_name(oauth::Flow f) {
    switch (f) {
    case oauth::Flow::device_code: return "device_code";
    case oauth::Flow::client_credentials: return "client_credentials";
    case oauth::Flow::auth_code: return "auth_code";
    }
    return "";
}

json::object oauth_json(const Request& r, const TokenOutcome& t, bool renewed) {
    return {{"flow", flow_name(r.oauth->flow)}, {"source", t.source}, {"token_requests", t.token_requests},
            {"renewed_after_535", renewed}};
}

int report_no_token(const Request& r, const TokenOutcome& t) {
    json::object o{{"result", t.failure == TokenFailure::sign_in_again ? "sign_in_again" : "no_token"},
                   {"code", nullptr}, {"reply", t.message}, {"attempts", 0}, {"oauth", oauth_json(r, t, false)}};
    o["oauth"].as_object()["failure"] = failure_name(t.failure);
    std::cout << json::serialize(o) << std::endl;
    std::cerr << "exosim-client: " << t.message << "\n";
    return t.failure == TokenFailure::sign_in_again ? Exit::sign_in_again : Exit::no_token;
}

int config_failure(const std::string& why) {
    json::object o{{"result", "usage"}, {"code", nullptr}, {"reply", why}, {"attempts", 0}};
    std::cout << json::serialize(o) << std::endl;
    std::cerr << "exosim-client: " << why << "\n";
    return Exit::usage;
}

// Exchange answers every token problem with this one reply (reference entra-id-oauth.md §1).
bool token_refused(const DeliveryReport& r) {
    return r.result == Result::rejected && r.auth_used == "XOAUTH2" && r.reply.code == 535 && r.reply.enhanced &&
           r.reply.enhanced->str() == "5.7.3";
}

bool set_token(ClientConfig& config, const TokenOutcome& t, bool user_given) {
    config.token = t.access_token;
    if (!user_given) config.user = t.account;
    return !config.user.empty();
}

}  // namespace

int deliver_with_oauth(const Request& request, ClientConfig config, const ReportJson& report_json, ExitCode exit_code) {
    oauth::TokenSource source(*request.oauth);
    const bool user_given = !config.user.empty();
    TokenOutcome token;
    try {
        token = source.acquire();
        if (token.failure != TokenFailure::none) return report_no_token(request, token);
        if (!set_token(config, token, user_given)) return config_failure("the token names no user: give --user");
        DeliveryReport report = deliver(request.session, config);
        bool renewed = false;
        if (token_refused(report)) {
            TokenOutcome again = source.after_rejection();
            if (again.failure != TokenFailure::none) return report_no_token(request, again);
            token = again;
            renewed = true;
            set_token(config, token, user_given);
            const int first_attempts = report.attempts;
            report = deliver(request.session, config);  // once: a second 535 is the answer
            report.attempts += first_attempts;
        }
        json::object o = report_json(report);
        o["oauth"] = oauth_json(request, token, renewed);
        std::cout << json::serialize(o) << std::endl;
        return exit_code(report.result);
    } catch (const oauth::CacheError& e) {
        return config_failure(e.what());
    } catch (const std::exception& e) {  // unreadable certificate or key, unusable CA file
        return config_failure(std::string("OAuth setup: ") + e.what());
    }
}

}  // namespace exosim::client::cli
