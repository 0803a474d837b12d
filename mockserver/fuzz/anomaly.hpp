#pragma once
// The catalogue of named anomaly classes (issue 12 "Anomalies"; reference: client-fuzzing.md §1-2).
// Each class is a generator: for a stage it applies to, it gives the scripted action (a rule's
// `do:` of the one scenario vocabulary) that answers that stage badly. Generators are pure: the
// same class and stage always give the same action, hence the same bytes.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/stage.hpp"
#include "scenario/action.hpp"

namespace exosim::fuzz {

struct AnomalyClass {
    std::string name;   // unique, stable: part of reports, signatures and the model hash
    std::string group;  // reply-code, multiline, length, short, bytes, code-range, enhanced, ehlo, auth, starttls, timing, connection
    std::string doc;    // what it sends and the real bug behind the class
    std::function<bool(Stage)> applies;
    std::function<scenario::Action(Stage)> make;
};

// Every class, in a fixed order (the catalogue's and the hash's).
std::span<const AnomalyClass> anomaly_classes();
std::optional<std::size_t> anomaly_index(std::string_view name);

// The lines of a valid reply at the stage, without codes (the generators' starting point): the
// EHLO hello line and keywords, or one text line.
std::vector<std::string> valid_lines(Stage s);
// `lines` as a well-formed reply with `code`: "250-a\r\n250 b\r\n".
std::string render_lines(int code, const std::vector<std::string>& lines);

// RFC 5321 4.2.3 and RFC 4954 4-6 codes, the set Defensics' SMTP client suite covers (§1).
std::span<const int> rfc_reply_codes();

}  // namespace exosim::fuzz
