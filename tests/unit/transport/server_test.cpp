// The transport end to end in-process: real sockets on 127.0.0.1:0, the RFC policy, a disk store.
// Cases from docs/reference/security-tests.md, server side and TLS (SR-*, TLS-*), each well under 2 s.
#include <fstream>
#include <thread>

#include "server_fixture.hpp"

namespace exosim::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class ServerTest : public ServerFixture {};

TEST_F(ServerTest, ReportsEphemeralPortsAndListeningLine) {
    start({listener("mx"), listener("implicit", transport::TlsMode::implicit)});
    EXPECT_NE(port("mx"), 0);
    EXPECT_NE(port("implicit"), port("mx"));
    EXPECT_EQ(transport::listening_line(server_->listener("mx")),
              "listening mx 127.0.0.1:" + std::to_string(port("mx")) + " profile=rfc tls=starttls");
}

// Each worker accepts on its own SO_REUSEPORT socket; a port another server already holds must
// still fail as a plain bind does, not join that server's group and take half its connections.
TEST_F(ServerTest, PortInUseByAnotherServerFailsWithAddressInUse) {
    start({listener("mx")});
    auto first = std::move(server_);
    auto taken = listener("mx");
    taken.port = first->listener("mx").port;
    try {
        start({taken});
        FAIL() << "a second server bound a port in use";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "listener 'mx': cannot bind 127.0.0.1:" + std::to_string(taken.port) +
                                             ": Address already in use");
    }
    server_ = std::move(first);  // still serving
    auto c = open_session();
    c->send("QUIT\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 4), "221 ");
}

// Sessions land on both workers' acceptors; every one is served.
TEST_F(ServerTest, ManyConcurrentSessionsAreAllServed) {
    start({listener("mx")});
    std::vector<std::unique_ptr<SmtpTestClient>> clients;
    for (int i = 0; i < 24; ++i) clients.push_back(open_session());
    for (auto& c : clients) {
        c->send("NOOP\r\n");
        EXPECT_EQ(c->read_reply(), "250 2.0.0 OK\r\n");
    }
}

TEST_F(ServerTest, GreetingAndFullPlainSessionStoresBeforeThe250) {
    start({listener("mx")});
    auto c = open_session();
    c->send("MAIL FROM:<a@contoso.com>\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "250");
    c->send("RCPT TO:<alice@contoso.com>\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "250");
    c->send("DATA\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "354");
    c->send("Subject: hi\r\n\r\n..dot\r\nbody\r\n.\r\n");
    std::string reply = c->read_reply();
    ASSERT_EQ(reply.substr(0, 3), "250") << reply;
    // RFC 5321 6.1 / SR-25: the message is on disk when the 250 arrives.
    auto messages = stored_messages();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(slurp(messages[0]), "Subject: hi\r\n\r\n.dot\r\nbody\r\n");
    std::string meta = slurp(fs::path(messages[0]).replace_extension(".json"));
    EXPECT_NE(meta.find("\"listener\":\"mx\""), std::string::npos) << meta;
    EXPECT_NE(meta.find("\"seen_address\":\"192.0.2.1\""), std::string::npos) << meta;
    c->send("QUIT\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "221");
    EXPECT_TRUE(c->closed());
}

TEST_F(ServerTest, StartTlsAuthAndMessageRecordTlsAndIdentity) {
    start({listener("submission")});
    auto c = open_session("submission");
    c->send("STARTTLS\r\n");
    ASSERT_EQ(c->read_reply().substr(0, 3), "220");
    ASSERT_TRUE(c->starttls(ca_file()));
    c->send("EHLO t\r\n");
    std::string ehlo = c->read_reply();
    EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos);
    c->send("AUTH PLAIN AHByaW50ZXJAY29udG9zby5jb20AUHJpbnRlci1QYXNzLTE=\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "235");
    c->send("MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "250");
    EXPECT_EQ(c->read_reply().substr(0, 3), "250");
    EXPECT_EQ(c->read_reply().substr(0, 3), "354");
    c->send("Subject: tls\r\n\r\nx\r\n.\r\n");
    ASSERT_EQ(c->read_reply().substr(0, 3), "250");
    auto messages = stored_messages();
    ASSERT_EQ(messages.size(), 1u);
    std::string meta = slurp(fs::path(messages[0]).replace_extension(".json"));
    EXPECT_NE(meta.find("\"auth_identity\":\"printer@contoso.com\""), std::string::npos) << meta;
    EXPECT_NE(meta.find("TLSv1."), std::string::npos) << meta;
    c->send("QUIT\r\n");
    EXPECT_EQ(c->read_reply().substr(0, 3), "221");
    c.reset();
    // The transcript never holds the AUTH secret.
    std::this_thread::sleep_for(200ms);
    for (const auto& e : fs::directory_iterator(data_dir_ / "sessions"))
        EXPECT_EQ(slurp(e.path()).find("AHByaW50ZXJAY29udG9zby5jb20"), std::string::npos);
}

// SR-01: one write "STARTTLS\r\nRSET\r\n": exactly one 220 in plaintext, nothing after the
// handshake until the client speaks, and the injected command never runs.
TEST_F(ServerTest, Sr01PipelinedPlaintextAfterStartTlsIsDiscarded) {
    start({listener("mx")});
    for (std::string tail : {"RSET\r\n", "EHLO commandinjectiontester\r\n"}) {
        auto c = open_session();
        c->send("STARTTLS\r\n" + tail);
        EXPECT_EQ(c->read_reply().substr(0, 4), "220 ");
        EXPECT_EQ(c->read_available(150ms), "");
        ASSERT_TRUE(c->starttls(ca_file()));
        EXPECT_EQ(c->read_available(200ms), "") << "the injected command must not be answered inside TLS";
        c->send("FAKE x\r\n");
        EXPECT_EQ(c->read_reply().substr(0, 3), "500");
        c->send("MAIL FROM:<a@contoso.com>\r\n");  // SR-03: EHLO state was reset
        EXPECT_EQ(c->read_reply().substr(0, 3), "503");
    }
    bool found = false;
    for (const auto& r : registry_.recent())
        for (const auto& f : r.findings) found = found || f.rule == "starttls-plaintext-injection";
    EXPECT_TRUE(found);
}

// SR-02 / TLS-04: plaintext instead of a ClientHello fails the handshake and closes; no reply.
TEST_F(ServerTest, Sr02PlaintextAfter220ClosesWithoutReply) {
    start({listener("mx")});
    auto c = open_session();
    c->send("STARTTLS\r\n");
    ASSERT_EQ(c->read_reply().substr(0, 3), "220");
    c->send("MAIL FROM:<a@b>\r\n");
    std::string rest = c->read_available(500ms);
    EXPECT_EQ(rest.find("250"), std::string::npos) << rest;
    EXPECT_TRUE(c->closed(1s));
}

// SR-20: a command trickled one byte at a time still hits the whole-command deadline.
TEST_F(ServerTest, Sr20WholeCommandDeadlineIsNotResetPerByte) {
    auto l = listener("mx");
    l.timeouts.command = 300ms;
    start({l});
    SmtpTestClient c(port());
    ASSERT_EQ(c.read_reply().substr(0, 3), "220");
    auto begin = Clock::now();
    std::string got;
    for (char byte : std::string("EHLO slow.example.with.a.long.name\r\n")) {
        c.send(std::string(1, byte));
        got += c.read_available(40ms);
        if (!got.empty()) break;
    }
    if (got.empty()) got = c.read_reply(1s);
    auto elapsed = Clock::now() - begin;
    EXPECT_EQ(got.substr(0, 9), "421 4.4.2") << got;
    EXPECT_LT(elapsed, 800ms);
    EXPECT_GE(elapsed, 250ms);
    EXPECT_TRUE(c.closed(1s));
}

// SR-22: an idle connection gets 421 and is closed after the command timeout.
TEST_F(ServerTest, Sr22IdleConnectionGets421) {
    auto l = listener("mx");
    l.timeouts.command = 300ms;
    start({l});
    SmtpTestClient c(port());
    ASSERT_EQ(c.read_reply().substr(0, 3), "220");
    auto begin = Clock::now();
    std::string reply = c.read_reply(2s);
    EXPECT_EQ(reply.substr(0, 4), "421 ") << reply;
    EXPECT_LT(Clock::now() - begin, 900ms);
    EXPECT_TRUE(c.closed(1s));
    std::this_thread::sleep_for(300ms);  // the server lingers (close_linger) for our FIN
    EXPECT_EQ(server_->active_sessions(), 0u);
}

// SR-21: message data trickled below min_data_rate is cut at a bounded deadline; faster data passes.
TEST_F(ServerTest, Sr21DataDeadlineGrowsOnlyWithTheDataRate) {
    auto l = listener("mx");
    l.timeouts.data_block = 400ms;
    l.timeouts.min_data_rate = 1000;  // 1 ms earned per octet
    start({l});
    auto c = open_session();
    c->send("MAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i) c->read_reply();
    auto begin = Clock::now();
    std::string got;
    while (got.empty() && Clock::now() - begin < 2s) {
        c->send("x");  // 1 octet per 50 ms: 20 B/s earns 20 ms per second
        got = c->read_available(50ms);
    }
    EXPECT_EQ(got.substr(0, 9), "421 4.4.2") << got;
    EXPECT_LT(Clock::now() - begin, 800ms);
}

// TLS-03: STARTTLS, 220, then no ClientHello: closed at the TLS handshake timeout.
TEST_F(ServerTest, Tls03HandshakeTimeoutCloses) {
    auto l = listener("mx");
    l.timeouts.tls_handshake = 300ms;
    start({l});
    auto c = open_session();
    c->send("STARTTLS\r\n");
    ASSERT_EQ(c->read_reply().substr(0, 3), "220");
    auto begin = Clock::now();
    EXPECT_TRUE(c->closed(2s));
    EXPECT_LT(Clock::now() - begin, 900ms);
}

// SR-23: the connection over the per-client limit gets 421 4.7.0 before any greeting; others work.
TEST_F(ServerTest, Sr23PerClientConnectionLimit) {
    auto l = listener("mx");
    l.limits.max_connections_per_client = 2;
    start({l});
    SmtpTestClient a(port()), b(port());
    ASSERT_EQ(a.read_reply().substr(0, 3), "220");
    ASSERT_EQ(b.read_reply().substr(0, 3), "220");
    SmtpTestClient over(port());
    EXPECT_EQ(over.read_reply().substr(0, 9), "421 4.7.0");
    EXPECT_TRUE(over.closed(1s));
    SmtpTestClient other_client(port(), "127.0.0.10");  // another address still gets in
    EXPECT_EQ(other_client.read_reply().substr(0, 3), "220");
    a.send("QUIT\r\n");
    EXPECT_EQ(a.read_reply().substr(0, 3), "221");
    EXPECT_TRUE(a.closed(1s));
    std::this_thread::sleep_for(300ms);  // the slot is released after the server's close linger
    SmtpTestClient again(port());  // the slot was released
    EXPECT_EQ(again.read_reply().substr(0, 3), "220");
}

// The certificate follows the client's server_name; without one (an IP literal) a generic
// listener serves the certificate for the address the client reached.
TEST_F(ServerTest, CertificateFollowsServerName) {
    start({listener("implicit", transport::TlsMode::implicit)});
    for (std::string host : {"localhost", "127.0.0.1", "smtp.office365.com", "contoso-com.mail.protection.outlook.com"}) {
        SmtpTestClient c(port("implicit"));
        EXPECT_TRUE(c.starttls(ca_file(), host)) << host;
    }
    SmtpTestClient wrong(port("implicit"));
    EXPECT_FALSE(wrong.starttls(ca_file(), "other.example.org"));
}

// TLS-07: implicit TLS: never a plaintext greeting; the greeting comes inside TLS.
TEST_F(ServerTest, Tls07ImplicitTlsGreetsInsideTls) {
    start({listener("implicit", transport::TlsMode::implicit)});
    SmtpTestClient c(port("implicit"));
    ASSERT_TRUE(c.starttls(ca_file()));
    EXPECT_EQ(c.read_reply().substr(0, 4), "220 ");
    c.send("EHLO t\r\n");
    std::string ehlo = c.read_reply();
    EXPECT_EQ(ehlo.substr(0, 4), "250-");
    EXPECT_NE(ehlo.find("AUTH"), std::string::npos) << ehlo;
}

TEST_F(ServerTest, ImplicitTlsPortSendsNothingInPlaintext) {
    start({listener("implicit", transport::TlsMode::implicit)});
    SmtpTestClient c(port("implicit"));
    EXPECT_EQ(c.read_available(200ms), "");
}

TEST_F(ServerTest, BlackholeAcceptsAndNeverAnswers) {
    auto l = listener("exo465", transport::TlsMode::none);
    l.behaviour = transport::ListenerBehaviour::blackhole;
    l.timeouts.blackhole = 300ms;
    start({l});
    SmtpTestClient c(port("exo465"));
    c.send("EHLO t\r\n");
    EXPECT_EQ(c.read_available(150ms), "");
    EXPECT_TRUE(c.closed(1s));  // the cap ends it
}

TEST_F(ServerTest, RefuseClosesAtOnce) {
    auto l = listener("exo465", transport::TlsMode::none);
    l.behaviour = transport::ListenerBehaviour::refuse;
    start({l});
    SmtpTestClient c(port("exo465"));
    EXPECT_TRUE(c.closed(500ms));
}

// Shutdown: an idle session is told 421 4.3.2; one in DATA finishes its message first.
TEST_F(ServerTest, ShutdownTellsIdleSessionsAndFinishesInFlightOnes) {
    start({listener("mx")}, 2s);
    auto idle = open_session();
    auto busy = open_session();
    busy->send("MAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nDATA\r\n");
    for (int i = 0; i < 3; ++i) busy->read_reply();
    busy->send("Subject: in flight\r\n\r\n");
    std::thread stopper([this] { server_->shutdown(); });
    EXPECT_EQ(idle->read_reply().substr(0, 9), "421 4.3.2");
    busy->send("last line\r\n.\r\n");
    EXPECT_EQ(busy->read_reply().substr(0, 3), "250");
    EXPECT_EQ(busy->read_reply().substr(0, 9), "421 4.3.2");
    stopper.join();
    EXPECT_EQ(stored_messages().size(), 1u);
    EXPECT_EQ(server_->active_sessions(), 0u);
}

TEST_F(ServerTest, RegistryRecordsSessionsAndSeenAddress) {
    start({listener("mx")});
    {
        SmtpTestClient c(port(), "127.0.0.66");
        ASSERT_EQ(c.read_reply().substr(0, 3), "220");
        c.send("QUIT\r\n");
        c.read_reply();
        EXPECT_TRUE(c.closed(1s));
    }
    std::this_thread::sleep_for(150ms);
    auto recent = registry_.recent();
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].client_address, "127.0.0.66");
    EXPECT_EQ(recent[0].seen_address, "198.51.100.66");
    EXPECT_EQ(recent[0].id.size(), 16u);
    EXPECT_FALSE(recent[0].active());
}

}  // namespace
}  // namespace exosim::test
