#include "transport/tls_context.hpp"

#include <stdlib.h>

#include <algorithm>
#include <future>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace exosim::transport {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using core::TlsVersion;

struct SideResult {
    boost::system::error_code ec;
    core::TlsInfo info;
    std::string verify_error;
};

struct Handshake {
    SideResult server;
    SideResult client;
    bool ok() const { return !server.ec && !client.ec; }
};

SideResult handshake(ssl::stream<tcp::socket>& s, ssl::stream_base::handshake_type type) {
    SideResult r;
    s.handshake(type, r.ec);
    r.info = describe_tls(s.native_handle());
    r.verify_error = peer_verify_error(s.native_handle());
    return r;
}

// One loopback TLS handshake between the two contexts: server on a thread, client here.
Handshake run_handshake(ssl::context& server_ctx, ssl::context& client_ctx, const std::string& sni = "localhost") {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto server = std::async(std::launch::async, [&] {
        tcp::socket sock(io);
        acceptor.accept(sock);
        ssl::stream<tcp::socket> s(std::move(sock), server_ctx);
        return handshake(s, ssl::stream_base::server);
    });
    Handshake h;
    {
        ssl::stream<tcp::socket> s(io, client_ctx);
        s.next_layer().connect(acceptor.local_endpoint());
        apply_client_host(s.native_handle(), sni, false);
        h.client = handshake(s, ssl::stream_base::client);
    }  // closing the client ends a server handshake waiting for more
    h.server = server.get();
    return h;
}

class TlsContext : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir("exosim-tls");
        ca_ = new CertificateAuthority(dir_->path());
    }
    static void TearDownTestSuite() {
        delete ca_;
        delete dir_;
    }
    static std::shared_ptr<ssl::context> server(TlsSettings s) {
        return make_server_context(s, ca_->server_cert("localhost"), ca_->ca_file());
    }
    static std::shared_ptr<ssl::context> client(TlsVersion min, TlsVersion max) {
        ClientTlsOptions o;
        o.min = min;
        o.max = max;
        return make_client_context(o);
    }
    static TlsSettings range(TlsVersion min, TlsVersion max) {
        TlsSettings s;
        s.min = min;
        s.max = max;
        return s;
    }
    static test::TempDir* dir_;
    static CertificateAuthority* ca_;
};
test::TempDir* TlsContext::dir_ = nullptr;
CertificateAuthority* TlsContext::ca_ = nullptr;

TEST_F(TlsContext, DefaultNegotiatesTls13) {
    auto s = server(TlsSettings{});
    auto c = client(TlsVersion::tls1_2, TlsVersion::tls1_3);
    Handshake h = run_handshake(*s, *c);
    ASSERT_TRUE(h.ok()) << h.server.ec.message() << " / " << h.client.ec.message();
    EXPECT_EQ(h.server.info.version, TlsVersion::tls1_3);
    EXPECT_FALSE(h.server.info.cipher.empty());
    EXPECT_TRUE(h.server.info.client_cert_names.empty());
    EXPECT_FALSE(h.server.info.client_cert_verified);
    EXPECT_EQ(h.client.info.client_cert_names, std::vector<std::string>{"localhost"});  // the peer's names
}

TEST_F(TlsContext, Tls10OnlyContextNegotiatesTls10) {
    auto s = server(range(TlsVersion::tls1_0, TlsVersion::tls1_0));
    auto c = client(TlsVersion::tls1_0, TlsVersion::tls1_0);
    Handshake h = run_handshake(*s, *c);
    ASSERT_TRUE(h.ok()) << h.server.ec.message() << " / " << h.client.ec.message();
    EXPECT_EQ(h.server.info.version, TlsVersion::tls1_0);
    EXPECT_EQ(h.client.info.version, TlsVersion::tls1_0);
    EXPECT_FALSE(h.server.info.cipher.empty());
}

TEST_F(TlsContext, LegacyRangeServesOldAndNewClients) {
    auto s = server(range(TlsVersion::tls1_0, TlsVersion::tls1_3));
    auto old_client = client(TlsVersion::tls1_1, TlsVersion::tls1_1);
    Handshake h = run_handshake(*s, *old_client);
    ASSERT_TRUE(h.ok()) << h.server.ec.message() << " / " << h.client.ec.message();
    EXPECT_EQ(h.server.info.version, TlsVersion::tls1_1);
    auto new_client = client(TlsVersion::tls1_2, TlsVersion::tls1_3);
    h = run_handshake(*s, *new_client);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h.server.info.version, TlsVersion::tls1_3);
}

TEST_F(TlsContext, Min12RefusesTls11Client) {
    auto s = server(range(TlsVersion::tls1_2, TlsVersion::tls1_3));
    auto c = client(TlsVersion::tls1_1, TlsVersion::tls1_1);
    Handshake h = run_handshake(*s, *c);
    EXPECT_TRUE(h.server.ec);
    EXPECT_TRUE(h.client.ec);
    EXPECT_EQ(h.server.info.version, TlsVersion::none);
}

TEST_F(TlsContext, Max12CapsTheVersionAndHonoursTheCipherList) {
    TlsSettings settings = range(TlsVersion::tls1_2, TlsVersion::tls1_2);
    settings.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
    auto s = server(settings);
    Handshake h = run_handshake(*s, *client(TlsVersion::tls1_2, TlsVersion::tls1_3));
    ASSERT_TRUE(h.ok()) << h.server.ec.message();
    EXPECT_EQ(h.server.info.version, TlsVersion::tls1_2);
    EXPECT_EQ(h.server.info.cipher, "ECDHE-RSA-AES128-GCM-SHA256");
}

TEST_F(TlsContext, Tls13Ciphersuites) {
    TlsSettings settings = range(TlsVersion::tls1_3, TlsVersion::tls1_3);
    settings.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256";
    Handshake h = run_handshake(*server(settings), *client(TlsVersion::tls1_2, TlsVersion::tls1_3));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h.server.info.cipher, "TLS_CHACHA20_POLY1305_SHA256");
}

TEST_F(TlsContext, VerifiedClientCertificate) {
    TlsSettings settings;
    settings.request_client_cert = true;
    ClientTlsOptions o;
    o.client_cert = ca_->client_cert("printer.contoso.com");
    for (TlsVersion v : {TlsVersion::tls1_2, TlsVersion::tls1_3}) {
        o.min = o.max = v;
        Handshake h = run_handshake(*server(settings), *make_client_context(o));
        ASSERT_TRUE(h.ok()) << h.server.ec.message() << " / " << h.client.ec.message();
        EXPECT_EQ(h.server.info.client_cert_names, std::vector<std::string>{"printer.contoso.com"});
        EXPECT_TRUE(h.server.info.client_cert_verified);
        EXPECT_EQ(h.server.verify_error, "");
    }
}

TEST_F(TlsContext, UnverifiableClientCertificateIsPresentedButNotVerified) {
    TlsSettings settings;
    settings.request_client_cert = true;
    for (CertVariant variant : {CertVariant::unknown_ca, CertVariant::self_signed, CertVariant::expired}) {
        ClientTlsOptions o;
        o.client_cert = ca_->client_cert("rogue.example", variant);
        Handshake h = run_handshake(*server(settings), *make_client_context(o));
        ASSERT_TRUE(h.ok()) << cert_variant_name(variant) << ": " << h.server.ec.message();
        EXPECT_EQ(h.server.info.client_cert_names, std::vector<std::string>{"rogue.example"});
        EXPECT_FALSE(h.server.info.client_cert_verified);
        EXPECT_FALSE(h.server.verify_error.empty()) << cert_variant_name(variant);
    }
}

TEST_F(TlsContext, RequestedButNoClientCertificate) {
    TlsSettings settings;
    settings.request_client_cert = true;
    Handshake h = run_handshake(*server(settings), *client(TlsVersion::tls1_2, TlsVersion::tls1_3));
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(h.server.info.client_cert_names.empty());
    EXPECT_FALSE(h.server.info.client_cert_verified);
}

TEST_F(TlsContext, ClientVerifiesServerName) {
    ClientTlsOptions o;
    o.ca_file = ca_->ca_file();
    o.verify_host = "localhost";
    auto s = server(TlsSettings{});
    EXPECT_TRUE(run_handshake(*s, *make_client_context(o)).ok());
    o.verify_host = "smtp.office365.com";
    Handshake h = run_handshake(*s, *make_client_context(o));
    EXPECT_TRUE(h.client.ec);
    auto broken = make_server_context(TlsSettings{}, ca_->server_cert("localhost", CertVariant::missing_intermediate),
                                      ca_->ca_file());
    o.verify_host = "localhost";
    EXPECT_TRUE(run_handshake(*broken, *make_client_context(o)).client.ec);
}

TEST_F(TlsContext, InvalidSettingsThrow) {
    EXPECT_THROW(server(range(TlsVersion::tls1_3, TlsVersion::tls1_2)), std::invalid_argument);
    EXPECT_THROW(server(range(TlsVersion::none, TlsVersion::tls1_2)), std::invalid_argument);
    TlsSettings bad_ciphers;
    bad_ciphers.ciphers = "NO-SUCH-CIPHER";
    EXPECT_THROW(server(bad_ciphers), std::runtime_error);
    EXPECT_THROW(make_server_context(TlsSettings{}, CertFiles{dir_->path() / "missing.pem", dir_->path() / "missing.key"},
                                     ca_->ca_file()),
                 std::runtime_error);
    EXPECT_THROW(make_server_context(TlsSettings{}, CertFiles{ca_->server_cert("localhost").chain,
                                                              ca_->server_cert("smtp.office365.com").key},
                                     ca_->ca_file()),
                 std::runtime_error);
}

}  // namespace
}  // namespace exosim::transport
