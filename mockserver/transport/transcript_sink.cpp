#include "transport/transcript_sink.hpp"

#include <string>
#include <type_traits>

#include "core/session_policy.hpp"
#include "store/transcript.hpp"

namespace exosim::transport {
namespace {

// Engine events as transcript event records (type, detail). Replies are not repeated: the
// "out" record carries their bytes.
bool describe(const core::Event& event, std::string& type, std::string& detail) {
    return std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, core::PhaseChanged>) {
                type = "phase";
                detail = std::string(core::phase_name(e.from)) + " -> " + std::string(core::phase_name(e.to));
            } else if constexpr (std::is_same_v<T, core::CommandReceived>) {
                type = "command";
                detail = e.line;  // AUTH secrets already redacted by the engine
            } else if constexpr (std::is_same_v<T, core::Finding>) {
                type = "finding";
                detail = e.rule + (e.detail.empty() ? "" : ": " + e.detail);
            } else if constexpr (std::is_same_v<T, core::TlsRequested>) {
                type = "tls-requested";
            } else if constexpr (std::is_same_v<T, core::AuthResult>) {
                type = "auth";
                detail = e.mechanism + " " + e.identity + (e.success ? " success" : " failure");
            } else if constexpr (std::is_same_v<T, core::MessageReceived>) {
                type = "message";
                detail = std::to_string(e.size) + " octets, " + std::to_string(e.recipients) + " recipients";
            } else {
                return false;  // ReplyProduced
            }
            return true;
        },
        event);
}

class TranscriptSink : public SessionSink {
public:
    TranscriptSink(const std::filesystem::path& data_dir, const std::string& id, store::CaptureMode mode)
        : transcript_(data_dir, id, mode) {}

    void on_event(const SessionRecord& record, const TimedEvent& event) override {
        if (record.tls_version != tls_) transcript_.set_tls(tls_ = record.tls_version);
        if (const auto* chunk = std::get_if<WireChunk>(&event.data)) {
            if (chunk->direction == Direction::in) transcript_.append_in(chunk->bytes);
            else transcript_.append_out(chunk->bytes);
        } else if (const auto* note = std::get_if<TransportNote>(&event.data)) {
            transcript_.append_event(note_kind(*note), note_detail(*note));
        } else if (const auto* e = std::get_if<core::Event>(&event.data)) {
            std::string type, detail;
            if (describe(*e, type, detail)) transcript_.append_event(type, detail);
        }
    }
    void on_end(const SessionRecord& record) override {
        transcript_.append_event("close", record.close_reason_text());
        transcript_.close();
    }
private:
    store::Transcript transcript_;
    std::string tls_ = "none";
};

}  // namespace

SessionSinkFactory transcript_sink_factory(std::filesystem::path data_dir, store::CaptureMode mode) {
    if (mode != store::CaptureMode::disk) return {};
    return [data_dir = std::move(data_dir), mode](const SessionRecord& record) -> std::unique_ptr<SessionSink> {
        return std::make_unique<TranscriptSink>(data_dir, record.id, mode);
    };
}

}  // namespace exosim::transport
