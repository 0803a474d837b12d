#include "transport/sni.hpp"

#include <algorithm>

#include <openssl/ssl.h>

#include "core/ascii.hpp"

namespace exosim::transport {

namespace {

int local_address_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

std::string local_address(SSL* ssl) {
    const auto* address = static_cast<const std::string*>(SSL_get_ex_data(ssl, local_address_index()));
    if (!address) return {};
    std::string s = *address;
    if (s.starts_with("::ffff:") && s.find('.') != std::string::npos) s = s.substr(7);
    return s;
}

}  // namespace

SniSelector::SniSelector(std::shared_ptr<boost::asio::ssl::context> primary,
                         std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> alternates,
                         bool by_local_address)
    : primary_(std::move(primary)), by_local_address_(by_local_address) {
    for (auto& [name, ctx] : alternates) alternates_.emplace(core::ascii::lower(name), std::move(ctx));
}

void SniSelector::set_local_address(SSL* ssl, const std::string* address) {
    SSL_set_ex_data(ssl, local_address_index(), const_cast<std::string*>(address));
}

void SniSelector::install() {
    SSL_CTX_set_tlsext_servername_callback(primary_->native_handle(), &SniSelector::on_servername);
    SSL_CTX_set_tlsext_servername_arg(primary_->native_handle(), this);
}

boost::asio::ssl::context* SniSelector::lookup(const std::string& requested) const {
    std::string name = core::ascii::lower(requested);
    if (auto it = alternates_.find(name); it != alternates_.end()) return it->second.get();
    // RFC 6125 6.4.3: "*" matches exactly one left-most label.
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0)
        if (auto it = alternates_.find("*" + name.substr(dot)); it != alternates_.end()) return it->second.get();
    return nullptr;
}

// OpenSSL calls this for every ClientHello (also without server_name, since 1.1.1).
int SniSelector::on_servername(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<SniSelector*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    boost::asio::ssl::context* chosen = nullptr;
    if (name) chosen = self->lookup(name);
    else if (self->by_local_address_) chosen = self->lookup(local_address(ssl));
    if (chosen && chosen->native_handle() != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, chosen->native_handle());
    return SSL_TLSEXT_ERR_OK;
}

}  // namespace exosim::transport
