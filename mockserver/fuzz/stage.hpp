#pragma once
// The points of an SMTP session where a hostile server can answer badly (issue 12 "Stages"). Each
// maps to one scripted step of the scenario vocabulary (scenario::Step, with the TLS condition for
// EHLO), so a fuzz case is an ordinary scenario rule and certify can replay it.
//
// Not stages here, and why: BDAT chunk replies, the second and later AUTH challenges and the final
// AUTH reply after a challenge are not scriptable steps of the vocabulary (schema README, "Special
// cases"); connection events (FIN, silence) are anomaly classes applied at every stage instead.
#include <optional>
#include <span>
#include <string_view>

#include "scenario/model.hpp"

namespace exosim::fuzz {

enum class Stage { greeting, ehlo, ehlo_tls, starttls, auth, mail, rcpt, data, end_of_data, rset, quit };

std::span<const Stage> all_stages();
std::string_view stage_name(Stage s);
std::optional<Stage> stage_from_name(std::string_view name);

// The scripted step a stage's rule is written for, and its TLS condition (EHLO only).
scenario::Step stage_step(Stage s);
std::optional<bool> stage_after_tls(Stage s);

// The reply code a valid server gives at the stage (RFC 5321 4.3.2, RFC 4954 4): generators that
// keep the code and break something else use it. AUTH's first reply is LOGIN's 334 challenge.
int valid_code(Stage s);

}  // namespace exosim::fuzz
