// Exact bytes and shaping of scripted actions, as text.
#include "fuzz/case_text.hpp"

#include "core/overloaded.hpp"
#include "scenario/reply_text.hpp"

namespace exosim::fuzz {

std::string action_bytes(const scenario::Action& a) {
    const scenario::ReplyPart& r = a.reply;
    std::string out;
    if (std::holds_alternative<scenario::effect::Stall>(a.effect)) return out;  // a stall sends nothing
    if (r.raw) {
        out = *r.raw;
    } else if (r.text && !r.dropped) {
        std::string error;
        if (auto reply = scenario::parse_reply_text(*r.text, error)) out = reply->render();
    }
    if (r.dropped) out.clear();
    if (r.append_raw) out += *r.append_raw;
    return out;
}

std::string action_shape(const scenario::Action& a) {
    std::string out;
    auto item = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (a.reply.split_every > 0) item("split_every=" + std::to_string(a.reply.split_every));
    for (std::size_t at : a.reply.split_at) item("split_at=" + std::to_string(at));
    if (a.reply.delay.count() > 0) item("delay=" + std::to_string(a.reply.delay.count()) + "ms");
    if (a.reply.dropped) item("no_reply");
    if (a.reply.raw && a.reply.text) item("decision=\"" + *a.reply.text + "\"");
    std::visit(core::Overloaded{
                   [](const scenario::effect::None&) {},
                   [&](const scenario::effect::Close&) { item("effect=close"); },
                   [&](const scenario::effect::Stall&) { item("effect=stall"); },
                   [&](const scenario::effect::Reset&) { item("effect=reset"); },
                   [&](const scenario::effect::HalfClose&) { item("effect=half_close"); },
                   [&](const scenario::effect::TlsAlert& t) { item("effect=tls_alert:" + std::string(core::tls_alert_name(t.alert))); },
               },
               a.effect);
    return out;
}

std::string action_signature(const scenario::Action& a) {
    const std::string bytes = action_bytes(a);
    return std::to_string(bytes.size()) + ":" + bytes + "|" + action_shape(a);
}

std::string escaped(std::string_view bytes, std::size_t max) {
    std::string out;
    const std::size_t n = std::min(bytes.size(), max);
    for (std::size_t i = 0; i < n; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b == '\r') out += "\\r";
        else if (b == '\n') out += "\\n";
        else if (b == '\t') out += "\\t";
        else if (b == '\\') out += "\\\\";
        else if (b >= 0x20 && b < 0x7f) out += static_cast<char>(b);
        else {
            out += "\\x";
            out += "0123456789abcdef"[b >> 4];
            out += "0123456789abcdef"[b & 15];
        }
    }
    if (n < bytes.size()) out += "... (" + std::to_string(bytes.size() - n) + " more octets)";
    return out;
}

}  // namespace exosim::fuzz
