#pragma once
// An in-process Server on 127.0.0.1 port 0 with the RFC policy, a disk store in a temporary
// directory and one CA shared by the test suite.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "policy/rfc_policy.hpp"
#include "store/message_store.hpp"
#include "transport/address_map.hpp"
#include "transport/certs.hpp"
#include "transport/server.hpp"
#include "transport/transcript_sink.hpp"

#include "smtp_test_client.hpp"
#include "support/temp_dir.hpp"

namespace exosim::test {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class ServerFixture : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ca_dir_ = new TempDir("exosim-ca");
        ca_ = new transport::CertificateAuthority(ca_dir_->path());
        ca_->ensure_defaults();
    }
    static void TearDownTestSuite() {
        delete ca_;
        delete ca_dir_;
    }

    void SetUp() override {
        data_tmp_ = std::make_unique<TempDir>("exosim-data");
        data_dir_ = data_tmp_->path();
        store_ = std::make_unique<store::MessageStore>(data_dir_, store::CaptureMode::disk);
    }
    void TearDown() override {
        server_.reset();
        store_.reset();
        data_tmp_.reset();
    }

    static transport::ListenerConfig listener(const std::string& name,
                                              transport::TlsMode mode = transport::TlsMode::starttls) {
        transport::ListenerConfig l;
        l.name = name;
        l.address = "127.0.0.1";
        l.port = 0;
        l.tls.mode = mode;
        l.timeouts.command = 2s;
        l.timeouts.data_block = 2s;
        l.timeouts.tls_handshake = 2s;
        return l;
    }

    void start(std::vector<transport::ListenerConfig> listeners, std::chrono::milliseconds grace = 1s) {
        transport::ServerOptions o;
        o.listeners = std::move(listeners);
        o.threads = 2;
        o.store_threads = 1;
        o.store = store_.get();
        o.registry = &registry_;
        o.ca = ca_;
        o.shutdown_grace = grace;
        o.close_linger = 100ms;
        o.sink_factory = transport::transcript_sink_factory(data_dir_, store::CaptureMode::disk);
        auto map = transport::AddressMap::defaults();
        o.seen_address = [map](std::string_view a) { return map.seen(a); };
        o.policy_factory = [](const transport::ListenerConfig& l, const core::ConnectionInfo&) {
            policy::RfcPolicyConfig c;
            c.hostname = l.hostname;
            c.accounts = {{"printer@contoso.com", "Printer-Pass-1"}};
            c.tls_available = l.tls.mode == transport::TlsMode::starttls;
            c.require_tls_for_auth = l.tls.mode != transport::TlsMode::implicit;
            return std::make_unique<policy::RfcPolicy>(std::move(c));
        };
        server_ = std::make_unique<transport::Server>(std::move(o));
        server_->start();
    }

    std::uint16_t port(const std::string& name = "mx") const { return server_->listener(name).port; }
    const fs::path& ca_file() const { return ca_->ca_file(); }

    std::vector<fs::path> stored_messages() const {
        std::vector<fs::path> out;
        if (!fs::exists(data_dir_ / "messages")) return out;
        for (const auto& e : fs::directory_iterator(data_dir_ / "messages"))
            if (e.path().extension() == ".eml") out.push_back(e.path());
        return out;
    }

    // Greeting and EHLO; the client is ready for a command.
    std::unique_ptr<SmtpTestClient> open_session(const std::string& listener_name = "mx") {
        auto c = std::make_unique<SmtpTestClient>(port(listener_name));
        EXPECT_EQ(c->read_reply().substr(0, 4), "220 ");
        c->send("EHLO t\r\n");
        EXPECT_EQ(c->read_reply().substr(0, 4), "250-");
        return c;
    }

    inline static TempDir* ca_dir_ = nullptr;
    inline static transport::CertificateAuthority* ca_ = nullptr;
    std::unique_ptr<TempDir> data_tmp_;
    fs::path data_dir_;
    std::unique_ptr<store::MessageStore> store_;
    transport::SessionRegistry registry_;
    std::unique_ptr<transport::Server> server_;
};

}  // namespace exosim::test
