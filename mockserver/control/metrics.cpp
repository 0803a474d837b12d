#include "control/metrics.hpp"

#include <sstream>
#include <type_traits>

namespace exosim::control {

namespace {

// Prometheus label values escape backslash, double quote and newline.
std::string label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}

template <class Map>
void family(std::ostringstream& out, const char* name, const char* type, const char* help, const char* key,
            const Map& values) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    for (const auto& [k, v] : values) out << name << '{' << key << "=\"" << label(k) << "\"} " << v << '\n';
}

void scalar(std::ostringstream& out, const char* name, const char* type, const char* help, std::uint64_t v) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << v << '\n';
}

}  // namespace

void Metrics::on_session_started(const transport::SessionRecord& record) {
    std::lock_guard lock(mutex_);
    ++sessions_total_[record.listener];
    ++sessions_active_[record.listener];
    messages_seen_[record.id] = 0;
}

void Metrics::count_messages(const transport::SessionRecord& record) {
    auto it = messages_seen_.find(record.id);
    if (it == messages_seen_.end() || record.message_ids.size() <= it->second) return;
    messages_accepted_[record.listener] += record.message_ids.size() - it->second;
    it->second = record.message_ids.size();
}

void Metrics::on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    std::lock_guard lock(mutex_);
    count_messages(record);
    if (const auto* chunk = std::get_if<transport::WireChunk>(&event.data)) {
        (chunk->direction == transport::Direction::in ? bytes_in_ : bytes_out_) += chunk->bytes.size();
    } else if (const auto* note = std::get_if<transport::TransportNote>(&event.data)) {
        if (std::holds_alternative<transport::note::TlsEstablished>(note->payload)) ++tls_handshakes_[record.tls_version];
        else if (std::holds_alternative<transport::note::TlsFailed>(note->payload)) ++tls_failures_;
    } else if (const auto* e = std::get_if<core::Event>(&event.data)) {
        if (const auto* reply = std::get_if<core::ReplyProduced>(e)) {
            const int klass = reply->reply.code / 100;
            ++replies_[klass >= 1 && klass <= 5 ? std::to_string(klass) + "xx" : "other"];
        } else if (const auto* auth = std::get_if<core::AuthResult>(e)) {
            if (!auth->success) ++auth_failures_[auth->mechanism];
        } else if (const auto* finding = std::get_if<core::Finding>(e)) {
            ++findings_[finding->rule];
        }
    }
}

void Metrics::on_session_ended(const transport::SessionRecord& record) {
    std::lock_guard lock(mutex_);
    count_messages(record);
    messages_seen_.erase(record.id);
    auto it = sessions_active_.find(record.listener);
    if (it != sessions_active_.end() && it->second > 0) --it->second;
}

void Metrics::add_events_dropped(std::uint64_t n) {
    std::lock_guard lock(mutex_);
    events_dropped_ += n;
}

void Metrics::add_http_request(int status) {
    std::lock_guard lock(mutex_);
    ++http_requests_[std::to_string(status / 100) + "xx"];
}

void Metrics::add_identity_request(const std::string& grant, const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++identity_requests_[{grant, outcome}];
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    family(out, "exosim_sessions_total", "counter", "SMTP sessions accepted.", "listener", sessions_total_);
    family(out, "exosim_sessions_active", "gauge", "SMTP sessions open now.", "listener", sessions_active_);
    family(out, "exosim_messages_accepted_total", "counter", "Messages stored after end of data.", "listener",
           messages_accepted_);
    family(out, "exosim_replies_total", "counter", "SMTP replies sent, by code class.", "class", replies_);
    family(out, "exosim_auth_failures_total", "counter", "Failed SMTP AUTH attempts.", "mechanism", auth_failures_);
    family(out, "exosim_tls_handshakes_total", "counter", "Completed TLS handshakes, by version.", "version",
           tls_handshakes_);
    scalar(out, "exosim_tls_handshake_failures_total", "counter", "Failed TLS handshakes.", tls_failures_);
    family(out, "exosim_findings_total", "counter", "Client misbehaviour findings, by rule.", "rule", findings_);
    out << "# HELP exosim_bytes_total Bytes on SMTP connections.\n# TYPE exosim_bytes_total counter\n"
        << "exosim_bytes_total{direction=\"in\"} " << bytes_in_ << '\n'
        << "exosim_bytes_total{direction=\"out\"} " << bytes_out_ << '\n';
    scalar(out, "exosim_events_dropped_total", "counter", "Session events dropped for slow WebSocket consumers.",
           events_dropped_);
    family(out, "exosim_control_requests_total", "counter", "Control API requests, by status class.", "class",
           http_requests_);
    out << "# HELP exosim_identity_requests_total Sign-in service requests, by grant and outcome.\n"
        << "# TYPE exosim_identity_requests_total counter\n";
    for (const auto& [key, n] : identity_requests_)
        out << "exosim_identity_requests_total{grant=\"" << key.first << "\",outcome=\"" << key.second << "\"} " << n
            << '\n';
    return out.str();
}

}  // namespace exosim::control
