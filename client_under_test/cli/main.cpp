// exosim-client: one message, one line of JSON on stdout, an exit code a script can branch on.
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/cli_options.hpp"
#include "cli/oauth_delivery.hpp"
#include "reference/mime.hpp"

namespace json = boost::json;
using namespace exosim::client;

namespace {

using cli::Exit;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw cli::UsageError("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* result_name(Result r) {
    switch (r) {
    case Result::delivered: return "delivered";
    case Result::rejected: return "rejected";
    case Result::deferred: return "deferred";
    case Result::tls_error: return "tls_error";
    case Result::refused: return "refused";
    }
    return "deferred";
}

int exit_code(Result r) {
    switch (r) {
    case Result::delivered: return Exit::delivered;
    case Result::rejected: return Exit::rejected;
    case Result::deferred: return Exit::deferred;
    case Result::tls_error: return Exit::tls_error;
    case Result::refused: return Exit::refused;
    }
    return Exit::deferred;
}

json::array to_array(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

std::string reply_text(const DeliveryReport& r) {
    if (r.reply.code == 0) return r.detail;
    std::string text;
    for (const std::string& line : r.reply.lines) text += (text.empty() ? "" : " ") + line;
    return text;
}

json::object report_json(const DeliveryReport& r, const std::string& message_id) {
    json::object o;
    o["result"] = result_name(r.result);
    o["code"] = r.reply.code != 0 ? json::value(r.reply.code) : json::value(nullptr);
    o["enhanced"] = r.reply.enhanced ? json::value(r.reply.enhanced->str()) : json::value(nullptr);
    o["reply"] = reply_text(r);
    if (!r.detail.empty()) o["detail"] = r.detail;
    o["attempts"] = r.attempts;
    o["message_id"] = message_id;
    o["tls"] = r.tls_version.empty() ? json::value(nullptr) : json::value(r.tls_version);
    o["auth"] = r.auth_used.empty() ? json::value(nullptr) : json::value(r.auth_used);
    o["accepted"] = to_array(r.accepted);
    o["rejected"] = to_array(r.rejected);
    o["deferred"] = to_array(r.deferred);
    return o;
}

int usage_failure(const std::string& why) {
    json::object o{{"result", "usage"}, {"code", nullptr}, {"reply", why}, {"attempts", 0}};
    std::cout << json::serialize(o) << std::endl;
    std::cerr << "exosim-client: " << why << " (see --help)\n";
    return Exit::usage;
}

// Builds the message once, so every retry carries the same Message-ID (CC-21).
ClientConfig prepare(cli::Request& request) {
    if (!request.body_file.empty()) request.mail.body = read_file(request.body_file);
    for (const std::string& path : request.attach_paths)
        request.mail.attachments.push_back({std::filesystem::path(path).filename().string(), read_file(path)});
    request.mail.message_id = new_message_id(request.mail.from);
    request.mail.boundary = new_boundary();
    request.mail.date = std::time(nullptr);
    ClientConfig config = request.config;
    config.message = build_message(request.mail);
    config.from = request.mail.from;
    for (const auto* list : {&request.mail.to, &request.mail.cc, &request.bcc}) {
        for (const std::string& r : *list) {
            // CC-24: an address that could smuggle a command never reaches the envelope.
            if (!valid_mailbox(r)) throw MimeError("invalid recipient address");
            config.recipients.push_back(r);
        }
    }
    return config;
}

}  // namespace

int main(int argc, char** argv) {
    cli::Request request;
    ClientConfig config;
    try {
        request = cli::parse_command_line(argc, argv);
        if (request.help) {
            std::cout << request.help_text;
            return Exit::delivered;
        }
        config = prepare(request);
    } catch (const std::exception& e) {  // UsageError, MimeError
        return usage_failure(e.what());
    }
    if (request.oauth) return cli::deliver_with_oauth(request, std::move(config), [&](const DeliveryReport& r) {
        return report_json(r, request.mail.message_id);
    }, exit_code);
    DeliveryReport report;
    try {
        report = deliver(request.session, std::move(config));
    } catch (const std::exception& e) {  // unusable TLS files: a configuration error
        return usage_failure(std::string("TLS setup: ") + e.what());
    }
    std::cout << json::serialize(report_json(report, request.mail.message_id)) << std::endl;
    return exit_code(report.result);
}
