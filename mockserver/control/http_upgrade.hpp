#pragma once
// A plain-HTTP connection handed over by HttpService after a request (the control API's
// WebSocket event stream). Beast types: include only from .cpp files that use Beast already.
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace exosim::control {

class HttpUpgrade {
public:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    virtual ~HttpUpgrade() = default;
    // True: run() takes the connection instead of the handler answering `request`.
    virtual bool accepts(const Request& request) const = 0;
    // Owns the connection until it ends. `ioc` is the server's context; it may be gone (expired)
    // when other threads want to post to it.
    virtual boost::asio::awaitable<void> run(boost::beast::tcp_stream stream, Request request,
                                             std::weak_ptr<boost::asio::io_context> ioc) = 0;
};

}  // namespace exosim::control
