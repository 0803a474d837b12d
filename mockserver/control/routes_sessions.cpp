// /sessions: recent sessions (transport::SessionRegistry) and their transcripts.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "control/event_json.hpp"
#include "control/routes.hpp"
#include "store/transcript.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

transport::SessionRecord get_session(RouteContext& ctx, const std::string& id) {
    auto record = ctx.services.registry->find(id);
    if (!record || ctx.sessions.hidden(*record)) throw ApiError(404, "not_found", "no session " + id);
    return std::move(*record);
}

ApiResponse list_sessions(RouteContext& ctx, const ApiRequest& req) {
    const std::string listener = req.query_value("listener");
    const std::string active = req.query_value("active");
    if (!active.empty() && active != "true" && active != "false")
        throw ApiError(400, "bad_query", "active: must be true or false");
    for (const auto& [key, value] : req.query)
        if (key != "listener" && key != "active")
            throw ApiError(400, "bad_query", key + ": unknown filter (allowed: listener, active)");
    json::array out;
    for (const transport::SessionRecord& r : ctx.services.registry->recent()) {
        if (ctx.sessions.hidden(r)) continue;
        if (!listener.empty() && r.listener != listener) continue;
        if (!active.empty() && r.active() != (active == "true")) continue;
        out.push_back(session_json(r));
    }
    return json_response(200, json::object{{"count", out.size()}, {"sessions", std::move(out)}});
}

// Disk transcripts are the store's JSON lines as written; other capture modes use the records
// the SessionLog kept in memory (same shape).
json::array transcript_records(RouteContext& ctx, const std::string& id) {
    if (ctx.services.capture == store::CaptureMode::disk) {
        auto lines = store::read_transcript(ctx.services.data_dir, id);
        if (!lines) throw ApiError(404, "not_found", "no transcript for session " + id);
        json::array out;
        for (const std::string& line : *lines) {
            boost::system::error_code ec;
            json::value v = json::parse(line, ec);
            if (!ec) out.push_back(std::move(v));
        }
        return out;
    }
    auto records = ctx.sessions.transcript(id);
    if (!records) throw ApiError(404, "not_found", "no transcript for session " + id + " (kept for recent sessions only)");
    return std::move(*records);
}

ApiResponse transcript(RouteContext& ctx, const ApiRequest& req) {
    const std::string& id = req.param("id");
    const std::string format = req.query_value("format");
    if (!format.empty() && format != "jsonl" && format != "array")
        throw ApiError(400, "bad_query", "format: must be jsonl or array");
    if (auto record = ctx.services.registry->find(id); record && ctx.sessions.hidden(*record))
        throw ApiError(404, "not_found", "no session " + id);
    json::array records = transcript_records(ctx, id);
    if (format == "jsonl") {
        std::string body;
        for (const json::value& r : records) body += json::serialize(r) + "\n";
        return text_response(200, "application/x-ndjson", std::move(body));
    }
    return json_response(200, json::object{{"session", id}, {"records", std::move(records)}});
}

}  // namespace

void add_session_routes(Router& router, RouteContext& ctx) {
    const std::string p = std::string(api_prefix) + "/sessions";
    router.add(Method::get, p, [&ctx](const ApiRequest& req) { return list_sessions(ctx, req); });
    router.add(Method::get, p + "/{id}", [&ctx](const ApiRequest& req) {
        return json_response(200, session_json(get_session(ctx, req.param("id"))));
    });
    router.add(Method::get, p + "/{id}/transcript", [&ctx](const ApiRequest& req) { return transcript(ctx, req); });
}

}  // namespace exosim::control
