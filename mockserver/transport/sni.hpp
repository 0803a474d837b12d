#pragma once
// Certificate selection per connection (RFC 6066 server_name). A listener serves its configured
// certificate; a client that names another certificate the CA generated (smtp.office365.com,
// contoso-com.mail.protection.outlook.com via the wildcard, localhost, ...) gets that one; a
// client that sends no name reached us by IP literal and gets the certificate for the local
// address it connected to when there is one (127.0.0.1) and the listener is a generic one.
// OpenSSL only, no Asio.
#include <map>
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace exosim::transport {

class SniSelector {
public:
    // `primary` is the listener's context; `alternates` maps certificate names (wildcards
    // allowed) to contexts built from the same TlsSettings. `by_local_address`: without a
    // server_name, pick by the local address (only for generic lab listeners, whose certificate
    // is "localhost": an Exchange-named listener keeps its name, as Microsoft's would).
    SniSelector(std::shared_ptr<boost::asio::ssl::context> primary,
                std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> alternates,
                bool by_local_address);
    SniSelector(const SniSelector&) = delete;
    SniSelector& operator=(const SniSelector&) = delete;

    // Installs the servername callback on the primary context; `this` must outlive it.
    void install();
    const std::shared_ptr<boost::asio::ssl::context>& primary() const { return primary_; }

    // Tells the selector which local address a connection reached (Asio's SSL objects use a BIO
    // pair, so the socket is not visible from OpenSSL). `address` must outlive the handshake.
    static void set_local_address(SSL* ssl, const std::string* address);

    // The context for a requested name, or null (keep the primary). Exposed for tests.
    boost::asio::ssl::context* lookup(const std::string& name) const;

private:
    static int on_servername(SSL* ssl, int* alert, void* arg);

    std::shared_ptr<boost::asio::ssl::context> primary_;
    std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> alternates_;
    bool by_local_address_;
};

}  // namespace exosim::transport
