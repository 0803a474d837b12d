#pragma once
// Session records and events as JSON, shared by GET /sessions, the WebSocket stream and the
// in-memory transcripts. Bytes from the wire become valid UTF-8 ("bytes") or base64 ("b64").
#include <string>

#include <boost/json/object.hpp>

#include "transport/registry.hpp"

namespace exosim::control {

// {"id", "listener", "profile", ..., "started_at", "ended_at"|null, "active", "findings": [...]}
boost::json::object session_json(const transport::SessionRecord& record);

// One stream message: {"type": "...", "session": "<id>", "t_ms": N, ...}. Types: command, reply,
// phase, finding, tls_requested, auth, message, transport (TransportNote), wire (WireChunk).
boost::json::object event_json(const transport::SessionRecord& record, const transport::TimedEvent& event);
// {"type": "session_started"|"session_ended", "session": "<id>", "record": {...}}
boost::json::object lifecycle_json(const char* type, const transport::SessionRecord& record);
bool is_wire_event(const transport::TimedEvent& event);

// The record of a store transcript line (store/transcript.hpp) for an event: {"t_ms", "dir":
// "in"|"out"|"event", "tls", "bytes"|"b64", "type", "detail"}; nullopt-like empty object for
// events transcripts do not keep (replies: their bytes are the "out" record).
boost::json::object transcript_record(const transport::SessionRecord& record, const transport::TimedEvent& event);

std::string utc_text(std::chrono::system_clock::time_point t);

}  // namespace exosim::control
