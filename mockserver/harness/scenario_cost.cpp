#include "harness/scenario_cost.hpp"

#include <algorithm>
#include <numeric>
#include <variant>

#include "core/overloaded.hpp"
#include "scenario/reply_script.hpp"

namespace exosim::harness {

namespace {

using std::chrono::milliseconds;

// A typical EHLO reply (Exchange's is about 200 octets) for split_every, which splits whatever
// the reply is; the rule usually matches twice (before and after TLS).
constexpr std::size_t typical_reply = 400;
// Generating an RSA 2048 key for a certificate variant or client certificate (certs.hpp).
constexpr milliseconds key_generation{500};

// A raw reply whose last line is "NNN-...": the client waits for the final line until it times out.
bool unfinished(const std::string& raw) {
    std::size_t end = raw.size();
    while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) --end;
    const std::size_t start = raw.rfind('\n', end == 0 ? 0 : end - 1);
    const std::size_t line = start == std::string::npos ? 0 : start + 1;
    return end >= line + 4 && raw[line + 3] == '-';
}

// The client sees the end of the connection at once (no timeout to wait out).
bool ends_at_once(const scenario::Action& a) {
    namespace effect = scenario::effect;
    return a.reply.closes || std::visit(core::Overloaded{
                                            [](const effect::None&) { return false; },
                                            [](const effect::Close&) { return true; },
                                            [](const effect::Stall&) { return false; },
                                            [](const effect::TlsAlert&) { return true; },
                                            [](const effect::Reset&) { return true; },
                                            [](const effect::HalfClose&) { return true; },  // the client reads EOF at once
                                        },
                                        a.effect);
}

milliseconds action_cost(const scenario::Action& a, const CostHints& h) {
    const scenario::ReplyPart& r = a.reply;
    const bool stall = std::holds_alternative<scenario::effect::Stall>(a.effect);
    milliseconds cost{0};
    if (stall || (r.dropped && !ends_at_once(a)) || (r.raw && unfinished(*r.raw))) cost += h.client_timeout;
    cost += std::min(r.delay, h.client_timeout);
    if (r.split_every > 0) cost += scenario::split_pause * static_cast<long>(typical_reply / r.split_every);
    cost += scenario::split_pause * static_cast<long>(r.split_at.size());
    return cost;
}

}  // namespace

milliseconds estimated_duration(const scenario::Scenario& s, const CostHints& h) {
    milliseconds cost{100};  // a client run and the harness's bookkeeping
    for (const scenario::Rule& r : s.server.rules) cost += action_cost(r.action, h);
    if (!s.server.tls.starts) cost += h.client_timeout;
    if (s.server.tls.certificate != scenario::CertificateKind::valid) cost += key_generation;
    if (s.send.client_certificate) cost += key_generation;
    if (h.silent_listener && h.silent_listener(s.endpoint)) cost += h.client_timeout;
    for (unsigned run = 2; run <= s.expect.max_attempts && run < 12; ++run) cost += h.rerun_backoff * (1 << (run - 2));
    return cost;
}

std::vector<std::size_t> longest_first(const std::vector<std::shared_ptr<const scenario::Scenario>>& scenarios,
                                       const CostHints& hints) {
    std::vector<milliseconds> cost;
    for (const auto& s : scenarios) cost.push_back(estimated_duration(*s, hints));
    std::vector<std::size_t> order(scenarios.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    return order;
}

}  // namespace exosim::harness
