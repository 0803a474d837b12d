// Server-side TLS callbacks (tls_hello.*) and evidence (evidence.*): the cipher list by version
// with server preference, the captured ClientHello and key log, and JA3/JA4 of a real hello.
#include "transport/tls_hello.hpp"

#include <stdlib.h>

#include <future>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <gtest/gtest.h>

#include "lab/client_hello.hpp"
#include "transport/evidence.hpp"
#include "transport/exchange_tls.hpp"
#include "transport/tls_context.hpp"

namespace exosim::transport {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using core::TlsVersion;

struct Result {
    bool ok = false;
    std::string cipher;
    std::string version;
    std::optional<HandshakeEvidence> evidence;
};

// One loopback handshake; the client offers `ciphers` at exactly `version`.
Result run(ssl::context& server_ctx, TlsVersion version, const std::string& ciphers) {
    ClientTlsOptions o;
    o.min = o.max = version;
    o.ciphers = ciphers;
    auto client_ctx = make_client_context(o);
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto server = std::async(std::launch::async, [&] {
        tcp::socket sock(io);
        acceptor.accept(sock);
        ssl::stream<tcp::socket> s(std::move(sock), server_ctx);
        boost::system::error_code ec;
        s.handshake(ssl::stream_base::server, ec);
        Result r;
        r.ok = !ec;
        if (r.ok) {
            r.cipher = SSL_get_cipher_name(s.native_handle());
            r.version = SSL_get_version(s.native_handle());
        }
        if (const HandshakeEvidence* e = handshake_evidence(s.native_handle())) r.evidence = *e;
        return r;
    });
    {
        ssl::stream<tcp::socket> s(io, *client_ctx);
        s.next_layer().connect(acceptor.local_endpoint());
        boost::system::error_code ec;
        s.handshake(ssl::stream_base::client, ec);
    }
    return server.get();
}

class TlsHello : public testing::Test {
protected:
    static void SetUpTestSuite() {
        std::string tmpl = (fs::temp_directory_path() / "exosim-hello-XXXXXX").string();
        dir_ = new fs::path(::mkdtemp(tmpl.data()));
        ca_ = new CertificateAuthority(*dir_);
    }
    static void TearDownTestSuite() {
        delete ca_;
        std::error_code ec;
        fs::remove_all(*dir_, ec);
        delete dir_;
    }
    // An Exchange listener as app/profiles.cpp makes it: 1.0..1.2, Microsoft's lists.
    static std::shared_ptr<ssl::context> exchange(bool evidence = false) {
        TlsSettings s;
        s.min = TlsVersion::tls1_0;
        s.max = TlsVersion::tls1_2;
        s.ciphers = std::string(exchange_tls12_ciphers);
        s.legacy_ciphers = std::string(exchange_legacy_ciphers);
        s.server_preference = true;
        s.evidence = evidence;
        return make_server_context(s, ca_->server_cert("localhost"), ca_->ca_file());
    }
    static fs::path* dir_;
    static CertificateAuthority* ca_;
};
fs::path* TlsHello::dir_ = nullptr;
CertificateAuthority* TlsHello::ca_ = nullptr;

TEST_F(TlsHello, Tls12RefusesSuitesMicrosoftDoesNotPublish) {
    auto ctx = exchange();
    for (const char* suite : {"AES128-SHA", "AES256-SHA", "ECDHE-RSA-CHACHA20-POLY1305", "AES128-SHA256"})
        EXPECT_FALSE(run(*ctx, TlsVersion::tls1_2, suite).ok) << suite;
    for (const char* suite : {"ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256"}) {
        Result r = run(*ctx, TlsVersion::tls1_2, suite);
        EXPECT_TRUE(r.ok) << suite;
        EXPECT_EQ(r.cipher, suite);
    }
}

TEST_F(TlsHello, ServerPreferenceWins) {
    Result r = run(*exchange(), TlsVersion::tls1_2, "AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.cipher, "ECDHE-RSA-AES256-GCM-SHA384");
}

TEST_F(TlsHello, LegacyVersionsGetTheLegacyList) {
    for (TlsVersion v : {TlsVersion::tls1_0, TlsVersion::tls1_1}) {
        Result r = run(*exchange(), v, "AES128-SHA:@SECLEVEL=0");
        ASSERT_TRUE(r.ok);
        EXPECT_EQ(r.cipher, "AES128-SHA");
        EXPECT_FALSE(run(*exchange(), v, "ECDHE-RSA-CHACHA20-POLY1305:@SECLEVEL=0").ok);
        // Server order on the legacy list: ECDHE-RSA-AES256-SHA first.
        EXPECT_EQ(run(*exchange(), v, "AES128-SHA:ECDHE-RSA-AES256-SHA:@SECLEVEL=0").cipher, "ECDHE-RSA-AES256-SHA");
    }
}

TEST_F(TlsHello, NoEvidenceUnlessAsked) {
    Result r = run(*exchange(false), TlsVersion::tls1_2, "");
    ASSERT_TRUE(r.ok);
    EXPECT_FALSE(r.evidence);
}

TEST_F(TlsHello, EvidenceKeepsClientHelloAndKeyLog) {
    Result r = run(*exchange(true), TlsVersion::tls1_2, "");
    ASSERT_TRUE(r.ok);
    ASSERT_TRUE(r.evidence);
    auto hello = lab::parse_client_hello(r.evidence->client_hello);
    ASSERT_TRUE(hello);
    EXPECT_EQ(lab::highest_version(*hello), 0x0303);
    // TLS 1.2: one line "CLIENT_RANDOM <64 hex> <96 hex>" (NSS key log format).
    EXPECT_EQ(r.evidence->keylog.rfind("CLIENT_RANDOM ", 0), 0u) << r.evidence->keylog;
    EXPECT_EQ(r.evidence->keylog.size(), 14u + 64 + 1 + 96 + 1);
}

TEST_F(TlsHello, FailedHandshakeStillHasItsClientHello) {
    Result r = run(*exchange(true), TlsVersion::tls1_2, "AES128-SHA");
    EXPECT_FALSE(r.ok);
    ASSERT_TRUE(r.evidence);
    std::string json = client_hello_json(r.evidence->client_hello, nullptr);
    EXPECT_NE(json.find("\"ciphers\":[\"0x002f\""), std::string::npos) << json;  // no SSL: hex ids
    EXPECT_TRUE(r.evidence->keylog.empty());
}

std::string unhex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

// fuzz/seeds/client_hello/tls12-no-sni.bin, a Python 3.11 ClientHello; JA3 computed independently
// (a Python reading of the JA3 definition).
const std::string python_tls12_hello = unhex("010000b3030390070262a11d3fe70ca830171b3241b0f254e29e6fa1a35c0e0d2fdec7392940000038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff01000052000b000403000102000a000c000a001d0017001e00190018002300000016000000170000000d002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205020602");

TEST(Fingerprints, Ja3OfARealHello) {
    auto hello = lab::parse_client_hello(python_tls12_hello);
    ASSERT_TRUE(hello);
    EXPECT_EQ(lab::ja3_text(*hello),
              "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-"
              "49161-49171-51-157-156-61-60-53-47-255,11-10-35-22-23-13,29-23-30-25-24,0-1-2");
    EXPECT_EQ(ja3_fingerprint(*hello), "fbe7e189e37a07ee33706f86bc746344");
}

TEST(Fingerprints, Ja4Shape) {
    auto hello = lab::parse_client_hello(python_tls12_hello);
    ASSERT_TRUE(hello);
    std::string ja4 = ja4_fingerprint(*hello);
    // TLS 1.2, no SNI, 28 ciphers (the renegotiation SCSV counts), 6 extensions, no ALPN.
    EXPECT_EQ(ja4.substr(0, 11), "t12i280600_");
    EXPECT_EQ(ja4.size(), 10u + 1 + 12 + 1 + 12);
}

}  // namespace
}  // namespace exosim::transport
