#include "control/event_json.hpp"

#include <type_traits>

#include <boost/json/array.hpp>

#include "control/request_json.hpp"
#include "core/base64.hpp"
#include "store/json_text.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

void put_bytes(json::object& o, std::string_view bytes) {
    if (store::is_valid_utf8(bytes)) o["bytes"] = bytes;
    else o["b64"] = core::base64_encode(bytes);
}

json::object reply_json(const core::Reply& reply) {
    json::array lines;
    for (const std::string& l : reply.lines) lines.push_back(json_text(l));
    json::object o{{"code", reply.code}, {"lines", std::move(lines)}};
    if (reply.enhanced) o["enhanced"] = reply.enhanced->str();
    return o;
}

// The engine's meaning of an event, with the transcript's (type, detail) wording.
void describe(const core::Event& event, json::object& o) {
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, core::PhaseChanged>) {
                o["type"] = "phase";
                o["from"] = core::phase_name(e.from);
                o["to"] = core::phase_name(e.to);
            } else if constexpr (std::is_same_v<T, core::CommandReceived>) {
                o["type"] = "command";
                o["verb"] = core::verb_name(e.verb);
                o["line"] = json_text(e.line);
            } else if constexpr (std::is_same_v<T, core::ReplyProduced>) {
                o["type"] = "reply";
                for (auto& kv : reply_json(e.reply)) o[kv.key()] = kv.value();
            } else if constexpr (std::is_same_v<T, core::Finding>) {
                o["type"] = "finding";
                o["rule"] = e.rule;
                o["detail"] = json_text(e.detail);
            } else if constexpr (std::is_same_v<T, core::TlsRequested>) {
                o["type"] = "tls_requested";
            } else if constexpr (std::is_same_v<T, core::AuthResult>) {
                o["type"] = "auth";
                o["mechanism"] = e.mechanism;
                o["identity"] = json_text(e.identity);
                o["success"] = e.success;
            } else if constexpr (std::is_same_v<T, core::MessageReceived>) {
                o["type"] = "message";
                o["size"] = e.size;
                o["recipients"] = e.recipients;
            }
        },
        event);
}

}  // namespace

std::string utc_text(std::chrono::system_clock::time_point t) { return store::format_utc_ms(t); }

json::object session_json(const transport::SessionRecord& r) {
    json::array findings;
    for (const core::Finding& f : r.findings) findings.push_back({{"rule", f.rule}, {"detail", json_text(f.detail)}});
    json::array messages;
    for (const std::string& id : r.message_ids) messages.push_back(json::string(id));
    return {
        {"id", r.id},
        {"listener", r.listener},
        {"profile", r.profile},
        {"local_address", r.local_address},
        {"client_address", r.client_address},
        {"seen_address", r.seen_address},
        {"started_at", utc_text(r.started)},
        {"ended_at", r.ended ? json::value(utc_text(*r.ended)) : json::value(nullptr)},
        {"active", r.active()},
        {"tls_version", r.tls_version},
        {"tls_cipher", r.tls_cipher},
        {"helo", json_text(r.helo)},
        {"auth_identity", json_text(r.auth_identity)},
        {"close_reason", r.close_reason_text()},
        {"bytes_in", r.bytes_in},
        {"bytes_out", r.bytes_out},
        {"message_ids", std::move(messages)},
        {"findings", std::move(findings)},
    };
}

bool is_wire_event(const transport::TimedEvent& event) {
    return std::holds_alternative<transport::WireChunk>(event.data);
}

json::object event_json(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    json::object o{{"type", ""}, {"session", record.id}, {"t_ms", event.at.count()}};
    if (const auto* chunk = std::get_if<transport::WireChunk>(&event.data)) {
        o["type"] = "wire";
        o["dir"] = chunk->direction == transport::Direction::in ? "in" : "out";
        o["tls"] = chunk->tls;
        put_bytes(o, chunk->bytes);
    } else if (const auto* note = std::get_if<transport::TransportNote>(&event.data)) {
        o["type"] = "transport";
        o["kind"] = note_kind(*note);
        o["detail"] = json_text(note_detail(*note));
    } else if (const auto* e = std::get_if<core::Event>(&event.data)) {
        describe(*e, o);
    }
    return o;
}

json::object lifecycle_json(const char* type, const transport::SessionRecord& record) {
    return {{"type", type}, {"session", record.id}, {"record", session_json(record)}};
}

json::object transcript_record(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    json::object o{{"t_ms", event.at.count()}};
    if (const auto* chunk = std::get_if<transport::WireChunk>(&event.data)) {
        o["dir"] = chunk->direction == transport::Direction::in ? "in" : "out";
        o["tls"] = record.tls_version;
        put_bytes(o, chunk->bytes);
        return o;
    }
    json::object described = event_json(record, event);
    const json::string type = described["type"].as_string();
    if (type == "reply" || type.empty()) return {};
    o["dir"] = "event";
    o["tls"] = record.tls_version;
    o["type"] = type;
    described.erase("type");
    described.erase("session");
    described.erase("t_ms");
    for (auto& kv : described) o[kv.key()] = kv.value();
    return o;
}

}  // namespace exosim::control
