// /messages: stored messages (store::MessageStore), their parsed parts and raw bytes.
#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "control/message_parts.hpp"
#include "control/request_json.hpp"
#include "control/routes.hpp"
#include "core/ascii.hpp"
#include "store/json_text.hpp"

namespace exosim::control {

namespace json = boost::json;
using core::ascii::iequals;

namespace {

json::object meta_object(const store::MessageMeta& meta) {
    json::value v = json::parse(store::meta_to_json(meta));
    return v.is_object() ? std::move(v.as_object()) : json::object{};
}

struct MessageFilter {
    std::string to, from, session;
    std::optional<std::chrono::system_clock::time_point> since_time;
    std::string since_id;  // ids sort by arrival, so "after this id" is a cursor
    std::size_t limit = SIZE_MAX;

    bool accepts(const store::MessageMeta& m) const {
        if (!from.empty() && !iequals(m.envelope.reverse_path.str(), from)) return false;
        if (!to.empty() && std::none_of(m.envelope.recipients.begin(), m.envelope.recipients.end(),
                                        [&](const core::Recipient& r) { return iequals(r.path.str(), to); }))
            return false;
        if (!session.empty() && m.session_id != session) return false;
        if (since_time && m.received_at < *since_time) return false;
        if (!since_id.empty() && m.id <= since_id) return false;
        return true;
    }
};

MessageFilter filter_of(const ApiRequest& req) {
    MessageFilter f;
    f.to = req.query_value("to");
    f.from = req.query_value("from");
    f.session = req.query_value("session");
    if (const std::string since = req.query_value("since"); !since.empty()) {
        if (auto t = store::parse_utc_ms(since)) f.since_time = t;
        else if (store::is_safe_file_id(since)) f.since_id = since;
        else throw ApiError(400, "bad_query", "since: neither a time (2025-01-31T12:00:00.000Z) nor a message id");
    }
    if (const std::string limit = req.query_value("limit"); !limit.empty()) {
        if (limit.size() > 9 || !std::all_of(limit.begin(), limit.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw ApiError(400, "bad_query", "limit: must be a non-negative integer");
        f.limit = std::stoul(limit);
    }
    for (const auto& [key, value] : req.query)
        if (key != "to" && key != "from" && key != "session" && key != "since" && key != "limit")
            throw ApiError(400, "bad_query", key + ": unknown filter (allowed: to, from, session, since, limit)");
    return f;
}

const std::string& message_id(const ApiRequest& req) {
    const std::string& id = req.param("id");
    if (!store::is_safe_file_id(id)) throw ApiError(404, "not_found", "no message " + id);
    return id;
}

store::StoredMessage get_message(RouteContext& ctx, const ApiRequest& req) {
    const std::string& id = message_id(req);
    auto m = ctx.services.store->get(id);
    if (!m) throw ApiError(404, "not_found", "no message " + id);
    return std::move(*m);
}

json::value parts_json(const std::string& content) {
    const MessageParts parsed = parse_message_parts(content);
    json::array headers, parts, attachments;
    for (const auto& h : parsed.headers) headers.push_back({{"name", json_text(h.name)}, {"value", json_text(h.value)}});
    for (const MessagePart& p : parsed.parts) {
        json::object o{{"content_type", p.content_type},
                       {"filename", p.filename ? json::value(json_text(*p.filename)) : json::value(nullptr)},
                       {"disposition", p.disposition},
                       {"transfer_encoding", p.transfer_encoding},
                       {"size", p.size},
                       {"sha256", p.sha256}};
        if (p.attachment())
            attachments.push_back({{"name", p.filename ? json::value(json_text(*p.filename)) : json::value(nullptr)},
                                   {"content_type", p.content_type},
                                   {"size", p.size},
                                   {"sha256", p.sha256}});
        parts.push_back(std::move(o));
    }
    return json::object{{"headers", std::move(headers)},
                        {"text", parsed.text ? json::value(json_text(*parsed.text)) : json::value(nullptr)},
                        {"html", parsed.html ? json::value(json_text(*parsed.html)) : json::value(nullptr)},
                        {"parts", std::move(parts)},
                        {"attachments", std::move(attachments)}};
}

ApiResponse list_messages(RouteContext& ctx, const ApiRequest& req) {
    const MessageFilter filter = filter_of(req);
    std::vector<store::MessageMeta> all = ctx.services.store->list();
    json::array out;
    for (auto it = all.rbegin(); it != all.rend() && out.size() < filter.limit; ++it)  // newest first
        if (filter.accepts(*it)) out.push_back(meta_object(*it));
    return json_response(200, json::object{{"count", out.size()}, {"messages", std::move(out)}});
}

}  // namespace

void add_message_routes(Router& router, RouteContext& ctx) {
    const std::string p = std::string(api_prefix) + "/messages";
    router.add(Method::get, p, [&ctx](const ApiRequest& req) { return list_messages(ctx, req); });
    router.add(Method::delete_, p, [&ctx](const ApiRequest&) {
        const std::size_t n = ctx.services.store->list().size();
        ctx.services.store->clear();
        return json_response(200, json::object{{"deleted", n}});
    });
    router.add(Method::get, p + "/{id}", [&ctx](const ApiRequest& req) {
        const store::StoredMessage m = get_message(ctx, req);
        json::object o = meta_object(m.meta);
        o["mime"] = parts_json(m.content);
        return json_response(200, o);
    });
    router.add(Method::get, p + "/{id}/raw", [&ctx](const ApiRequest& req) {
        store::StoredMessage m = get_message(ctx, req);
        return text_response(200, "message/rfc822", std::move(m.content));
    });
    router.add(Method::delete_, p + "/{id}", [&ctx](const ApiRequest& req) {
        const std::string& id = message_id(req);
        if (!ctx.services.store->remove(id)) throw ApiError(404, "not_found", "no message " + id);
        return json_response(200, json::object{{"deleted", id}});
    });
}

}  // namespace exosim::control
