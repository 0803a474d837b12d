#pragma once
// What a case sends, as text: the exact bytes of a scripted action, its shaping, and a canonical
// signature of the action for the model hash. Sans-I/O.
#include <cstddef>
#include <string>
#include <string_view>

#include "scenario/action.hpp"

namespace exosim::fuzz {

// The octets the action puts on the wire for its reply (reply rendered, raw, append_raw; empty
// when dropped). Shaping (splits, delay) and the effect are not octets: see action_shape().
std::string action_bytes(const scenario::Action& a);
// "split_every=1 delay=250ms effect=close", or "" when none.
std::string action_shape(const scenario::Action& a);
// Bytes and shape, unambiguously: what the model hash covers.
std::string action_signature(const scenario::Action& a);
// Printable: \r \n \t \\ as escapes, other octets outside 0x20..0x7e as \xNN; past `max` octets
// the rest is summarised ("... (N more octets)").
std::string escaped(std::string_view bytes, std::size_t max = 512);

}  // namespace exosim::fuzz
