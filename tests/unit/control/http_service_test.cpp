#include "control/http_service.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace exosim::control {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A blocking client that reads whatever the server sends until it closes (or `wait` passes).
class RawClient {
public:
    explicit RawClient(std::uint16_t port) : socket_(ioc_) { socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)); }
    void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
    // Everything until EOF; `closed` tells whether the server closed within `wait`.
    std::string read_all(std::chrono::milliseconds wait, bool* closed = nullptr) {
        std::string out;
        auto deadline = std::chrono::steady_clock::now() + wait;
        socket_.non_blocking(true);
        for (;;) {
            char buf[4096];
            boost::system::error_code ec;
            std::size_t n = socket_.read_some(asio::buffer(buf), ec);
            if (ec == asio::error::would_block) {
                if (std::chrono::steady_clock::now() > deadline) {
                    if (closed) *closed = false;
                    return out;
                }
                std::this_thread::sleep_for(5ms);
                continue;
            }
            if (ec) {
                if (closed) *closed = true;
                return out;
            }
            out.append(buf, n);
        }
    }

private:
    asio::io_context ioc_;
    tcp::socket socket_;
};

identity::HttpResponse echo(identity::HttpRequest req) {
    identity::HttpResponse r;
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = req.method + " " + req.target + " [" + req.body + "] host=" + std::string(find_header(req, "host"));
    if (req.target == "/slow") r.delay = 200ms;
    if (req.target == "/drop") r.close_without_response = true;
    if (req.target == "/inject") r.headers.emplace_back("Location", "https://x/?state=a\r\nSet-Cookie: evil=1");
    return r;
}

struct Server {
    explicit Server(HttpLimits limits, HttpHandler handler = echo, unsigned handler_threads = 0) {
        HttpServiceOptions o;
        o.name = "test";
        o.limits = limits;
        o.handler = std::move(handler);
        o.handler_threads = handler_threads;
        service = std::make_unique<HttpService>(std::move(o));
        service->start();
    }
    std::uint16_t port() const { return service->port(); }
    std::unique_ptr<HttpService> service;
};

HttpLimits small_limits() {
    HttpLimits l;
    l.max_connections = 4;
    l.header_deadline = 400ms;
    l.idle_timeout = 400ms;
    l.body_deadline = 400ms;
    l.header_limit = 256;
    l.body_limit = 100;
    return l;
}

std::string status_line(const std::string& response) { return response.substr(0, response.find("\r\n")); }

TEST(HttpService, AnswersThroughTheHandlerWithContentLength) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("POST /token?x=1 HTTP/1.1\r\nHost: login.microsoftonline.com\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    std::string r = c.read_all(2s);
    EXPECT_EQ(status_line(r), "HTTP/1.1 200 OK");
    EXPECT_NE(r.find("Content-Length: 52\r\n"), std::string::npos) << r;
    EXPECT_TRUE(r.ends_with("\r\n\r\nPOST /token?x=1 [abc] host=login.microsoftonline.com")) << r;
}

// A handler that blocks (as a refresh grant's fdatasync does) holds up only its own connection
// when handlers run on a pool; on the I/O thread the two requests take turns.
TEST(HttpService, HandlerPoolAnswersBlockingHandlersSideBySide) {
    auto blocking = [](identity::HttpRequest req) {
        std::this_thread::sleep_for(500ms);
        return echo(std::move(req));
    };
    for (unsigned threads : {0u, 2u}) {
        Server s(small_limits(), blocking, threads);
        RawClient a(s.port()), b(s.port());
        const auto t0 = std::chrono::steady_clock::now();
        a.send("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        b.send("GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        const std::string ra = a.read_all(3s), rb = b.read_all(3s);
        const auto took = std::chrono::steady_clock::now() - t0;
        EXPECT_TRUE(ra.ends_with("GET /a [] host=h")) << ra;
        EXPECT_TRUE(rb.ends_with("GET /b [] host=h")) << rb;
        if (threads == 0) {
            EXPECT_GE(took, 1000ms);
        } else {
            EXPECT_LT(took, 900ms);  // 500 ms side by side, with room for a loaded machine
        }
    }
}

// A handler that throws on a pool thread ends that connection only; the server answers the next.
TEST(HttpService, HandlerPoolSurvivesAThrowingHandler) {
    auto throwing = [](identity::HttpRequest req) {
        if (req.target == "/throw") throw std::runtime_error("handler failed");
        return echo(std::move(req));
    };
    Server s(small_limits(), throwing, 2);
    RawClient bad(s.port());
    bad.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n");
    bool closed = false;
    EXPECT_EQ(bad.read_all(2s, &closed), "");
    EXPECT_TRUE(closed);
    RawClient good(s.port());
    good.send("GET /ok HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(good.read_all(2s).ends_with("GET /ok [] host=h"));
}

TEST(HttpService, PipelinedRequestsAreAnsweredInOrder) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /slow HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    std::string r = c.read_all(3s);
    auto a = r.find("GET /a []"), b = r.find("GET /slow []"), cc = r.find("GET /c []");
    ASSERT_NE(a, std::string::npos) << r;
    ASSERT_NE(b, std::string::npos) << r;
    ASSERT_NE(cc, std::string::npos) << r;
    EXPECT_LT(a, b);
    EXPECT_LT(b, cc);
}

TEST(HttpService, DelayIsWaitedAndCloseWithoutResponseSendsNothing) {
    Server s(small_limits());
    RawClient c(s.port());
    auto t0 = std::chrono::steady_clock::now();
    c.send("GET /slow HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    std::string r = c.read_all(3s);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);
    EXPECT_EQ(status_line(r), "HTTP/1.1 200 OK");
    RawClient d(s.port());
    d.send("GET /drop HTTP/1.1\r\nHost: h\r\n\r\n");
    bool closed = false;
    EXPECT_EQ(d.read_all(2s, &closed), "");
    EXPECT_TRUE(closed);
}

// header_limit counts the request line, the fields and the blank line.
std::string request_with_header_size(std::size_t size) {
    std::string head = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nX-Pad: ";
    std::string tail = "\r\n\r\n";
    return head + std::string(size - head.size() - tail.size(), 'a') + tail;
}

TEST(HttpService, HeaderLimitAtNMinus1NAndNPlus1) {
    Server s(small_limits());
    for (std::size_t size : {255u, 256u, 257u}) {
        RawClient c(s.port());
        c.send(request_with_header_size(size));
        std::string r = c.read_all(2s);
        EXPECT_EQ(status_line(r), size <= 256 ? "HTTP/1.1 200 OK" : "HTTP/1.1 431 Request Header Fields Too Large") << size;
    }
}

TEST(HttpService, ALongRequestLineCountsTowardTheHeaderLimit) {
    Server s(small_limits());
    for (std::size_t target : {200u, 300u}) {
        RawClient c(s.port());
        c.send("GET /" + std::string(target, 'a') + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(status_line(c.read_all(2s)), target == 200 ? "HTTP/1.1 200 OK" : "HTTP/1.1 431 Request Header Fields Too Large");
    }
}

TEST(HttpService, BodyLimitAtNMinus1NAndNPlus1) {
    Server s(small_limits());
    for (std::size_t size : {99u, 100u, 101u}) {
        RawClient c(s.port());
        c.send("POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
               std::string(size, 'b'));
        std::string r = c.read_all(3s);
        EXPECT_EQ(status_line(r), size <= 100 ? "HTTP/1.1 200 OK" : "HTTP/1.1 413 Payload Too Large") << size;
    }
}

TEST(HttpService, AHeaderValueWithCrLfBecomesA500NotASplitHeader) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("GET /inject HTTP/1.1\r\nHost: h\r\n\r\n");
    bool closed = false;
    std::string r = c.read_all(2s, &closed);
    EXPECT_EQ(status_line(r), "HTTP/1.1 500 Internal Server Error");
    EXPECT_EQ(r.find("evil"), std::string::npos) << r;
    EXPECT_TRUE(closed);
}

TEST(HttpService, MalformedRequestGets400) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("GET / HTTP/1.1\r\nHost h\r\n\r\n");
    EXPECT_EQ(status_line(c.read_all(2s)), "HTTP/1.1 400 Bad Request");
}

// Slow headers: a request whose header is still incomplete at the deadline is closed even while
// bytes keep trickling in (a whole-request deadline, not an idle timeout).
TEST(HttpService, HeaderDeadlineClosesATricklingClient) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("GET / HTTP/1.1\r\n");
    auto t0 = std::chrono::steady_clock::now();
    bool closed = false;
    for (int i = 0; i < 20 && !closed; ++i) {
        try {
            c.send("X-Trickle: " + std::to_string(i) + "\r\n");
        } catch (const std::exception&) {
            closed = true;
            break;
        }
        c.read_all(50ms, &closed);
    }
    EXPECT_TRUE(closed);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(elapsed, 350ms);
    EXPECT_LT(elapsed, 1500ms);
}

TEST(HttpService, IdleKeepAliveConnectionIsClosedAfterTheTimeout) {
    Server s(small_limits());
    RawClient c(s.port());
    c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    bool closed = true;
    std::string r = c.read_all(200ms, &closed);
    EXPECT_EQ(status_line(r), "HTTP/1.1 200 OK");
    EXPECT_FALSE(closed) << "kept alive";
    r = c.read_all(1s, &closed);
    EXPECT_TRUE(closed);
}

// Connection cap n = 4: the 5th connection sheds the oldest idle one, then the oldest reader,
// and a prompt request on the newest connection is answered.
TEST(HttpService, FullServerShedsIdleThenSlowestInsteadOfRefusing) {
    HttpLimits l = small_limits();
    l.header_deadline = 5s;
    l.idle_timeout = 5s;
    Server s(l);
    RawClient idle(s.port());
    idle.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_EQ(status_line(idle.read_all(200ms)), "HTTP/1.1 200 OK");
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int i = 0; i < 3; ++i) {  // n-1 .. n connections: nobody is shed
        slow.push_back(std::make_unique<RawClient>(s.port()));
        slow.back()->send("GET / HTTP/1.1\r\n");
        std::this_thread::sleep_for(20ms);
    }
    bool closed = true;
    idle.read_all(100ms, &closed);
    EXPECT_FALSE(closed) << "at n connections nothing is shed";
    RawClient prompt(s.port());  // n+1
    prompt.send("GET /health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_line(prompt.read_all(2s)), "HTTP/1.1 200 OK");
    idle.read_all(500ms, &closed);
    EXPECT_TRUE(closed) << "the idle connection made room";
    slow[0]->read_all(100ms, &closed);
    EXPECT_FALSE(closed) << "readers stay while an idle connection can go";
    slow.push_back(std::make_unique<RawClient>(s.port()));  // the answered prompt left: n again
    slow.back()->send("GET / HTTP/1.1\r\n");
    std::this_thread::sleep_for(20ms);
    RawClient next(s.port());  // n+1 without idle connections: sheds the oldest reader
    next.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_line(next.read_all(2s)), "HTTP/1.1 200 OK");
    slow[0]->read_all(500ms, &closed);
    EXPECT_TRUE(closed) << "the slowest reader made room";
    slow[2]->read_all(100ms, &closed);
    EXPECT_FALSE(closed);
}

}  // namespace
}  // namespace exosim::control
