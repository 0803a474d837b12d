#pragma once
// send.attachment: a file next to the scenario, or one exosim generates ("generated:pdf").
#include <filesystem>
#include <optional>

#include "scenario/model.hpp"
#include "scenario/verdict.hpp"

namespace exosim::harness {

// The file to attach: a path relative to the scenario file, or a small valid PDF written under
// `work_dir` for "generated:pdf". Empty when the scenario has no attachment. Throws
// std::runtime_error when the file is missing or the generated kind unknown.
std::filesystem::path prepare_attachment(const scenario::Scenario& scenario, const std::filesystem::path& work_dir);

// The bytes and file name the client was asked to attach, for the attachment-intact verdict:
// the file itself, or the generated content (the same bytes prepare_attachment writes). nullopt
// when the scenario has none or the file cannot be read.
std::optional<scenario::ExpectedAttachment> expected_attachment(const scenario::Scenario& scenario);

}  // namespace exosim::harness
