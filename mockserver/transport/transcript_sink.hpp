#pragma once
// Writes a session's events into its store::Transcript (<data-dir>/sessions/<id>.jsonl).
#include <filesystem>
#include <memory>

#include "store/message_store.hpp"
#include "transport/registry.hpp"

namespace exosim::transport {

// A factory for ServerOptions::sink_factory. Disk mode only: memory transcripts would die with
// their session (the control API keeps live events through SessionRegistry observers instead).
SessionSinkFactory transcript_sink_factory(std::filesystem::path data_dir, store::CaptureMode mode);

}  // namespace exosim::transport
