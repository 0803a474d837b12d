#pragma once
// The loopback redirect of a native app's authorization-code flow (RFC 8252 7.3): a one-shot HTTP
// listener on 127.0.0.1 with an ephemeral port that takes the browser's redirect and its query.
#include <chrono>
#include <memory>
#include <optional>

#include "oauth/form.hpp"

namespace exosim::client::oauth {

class LoopbackRedirect {
public:
    LoopbackRedirect();  // binds 127.0.0.1:0; throws std::runtime_error when it cannot
    ~LoopbackRedirect();
    unsigned short port() const;
    // The query of the first request that carries `code` or `error`; nullopt after `limit`.
    std::optional<FormParams> wait(std::chrono::seconds limit);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace exosim::client::oauth
