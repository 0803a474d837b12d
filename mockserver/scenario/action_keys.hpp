#pragma once
// The one table of a rule's `do:` keys: each row names a key and says how it is decoded into an
// Action (from YAML or JSON, through the shared Decoder) and how it is written back as JSON. The
// decoder's allowed-key list, the JSON writer and the combination check all come from here, so a
// new key is one row. Internal to exosim::scenario.
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/reply.hpp"
#include "scenario/model_decoder.hpp"

namespace exosim::scenario {

struct ActionKey {
    std::string_view name;
    // Reads the key (and its aliases) into the action when present; may fail with the decoder.
    // Null for an alias row (raw_hex), which its primary row reads.
    void (*decode)(const MapView& m, Step step, Action& a);
    // Writes the key when the action sets it; null for an alias row.
    void (*encode)(const Action& a, boost::json::object& o);
};

std::span<const ActionKey> action_keys();
// The key names, for MapView's allowed list.
std::span<const std::string_view> action_key_names();

// Decodes and validates a `do:` map for a rule on `step`.
Action decode_action(const MapView& m, Step step);
boost::json::object action_json(const Action& a);

// A reply given as one string (lines separated by \n) or as a list of lines.
std::string reply_text(const MapView& m, std::string_view key);
// The reply `text` parses (RFC 5321 4.2 syntax), else fails at `key`.
core::Reply checked_reply(const MapView& m, std::string_view key, const std::string& text);

}  // namespace exosim::scenario
