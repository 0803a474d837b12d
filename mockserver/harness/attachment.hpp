#pragma once
// send.attachment: a file next to the scenario, or one exosim generates ("generated:pdf").
#include <filesystem>

#include "scenario/model.hpp"

namespace exosim::harness {

// The file to attach: a path relative to the scenario file, or a small valid PDF written under
// `work_dir` for "generated:pdf". Empty when the scenario has no attachment. Throws
// std::runtime_error when the file is missing or the generated kind unknown.
std::filesystem::path prepare_attachment(const scenario::Scenario& scenario, const std::filesystem::path& work_dir);

}  // namespace exosim::harness
