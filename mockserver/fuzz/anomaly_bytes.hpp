#pragma once
// Byte builders shared by the anomaly generators (anomaly_catalogue.cpp). Internal to exosim::fuzz.
#include <cstddef>
#include <string>
#include <vector>

#include "fuzz/stage.hpp"
#include "scenario/action.hpp"

namespace exosim::fuzz::bytes {

std::string code_text(int code);  // "250"
// The valid reply of the stage with its first line's text padded with 'x' so that the line,
// CRLF included, is exactly `octets` long (longer when the unpadded line already is).
std::string long_first_line(Stage s, std::size_t octets);
// The valid reply with `count` continuation lines inserted before its last line; `final_line`
// false: the last line is a continuation too and no final line follows.
std::string with_continuations(Stage s, std::size_t count, bool final_line);
// The valid reply with every CRLF replaced by `eol`.
std::string with_eol(Stage s, const std::string& eol);
// An EHLO reply: the hello line, `keywords`, in order.
std::string ehlo_reply(const std::vector<std::string>& keywords);
// The stage's keywords (valid_lines without the hello line) for EHLO generators.
std::vector<std::string> ehlo_keywords(Stage s);

scenario::Action raw(std::string bytes);
scenario::Action reply(std::string text);

}  // namespace exosim::fuzz::bytes
