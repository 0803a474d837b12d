#include "control/control_server.hpp"

#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "control/event_hub.hpp"
#include "control/identity_requests.hpp"
#include "control/routes.hpp"

namespace exosim::control {

struct ControlServer::Impl {
    Impl(HttpServerOptions options, ControlServices services)
        : context(std::move(services)),
          router(make_router(context)),
          hub(std::make_shared<EventHub>(&context.metrics)),
          http(std::move(options), router, *hub, context.metrics) {}

    RouteContext context;
    Router router;
    std::shared_ptr<EventHub> hub;
    HttpServer http;
    std::vector<transport::SessionRegistry::SubscriptionId> subscriptions;
};

namespace {

// The registry holds observers by shared_ptr; these two live in RouteContext, which outlives
// the subscriptions (stop() unsubscribes before anything is destroyed).
template <class T>
std::shared_ptr<transport::SessionObserver> borrowed(T& observer) {
    return std::shared_ptr<transport::SessionObserver>(std::shared_ptr<void>(), &observer);
}

}  // namespace

ControlServer::ControlServer(HttpServerOptions options, ControlServices services) {
    if (!services.store || !services.registry) throw std::invalid_argument("control API: store and registry are required");
    impl_ = std::make_unique<Impl>(std::move(options), std::move(services));
}

ControlServer::~ControlServer() { stop(); }

void ControlServer::start() {
    auto& registry = *impl_->context.services.registry;
    impl_->subscriptions.push_back(registry.subscribe(borrowed(impl_->context.metrics)));
    impl_->subscriptions.push_back(registry.subscribe(borrowed(impl_->context.sessions)));
    impl_->subscriptions.push_back(registry.subscribe(impl_->hub));
    try {
        impl_->http.start();
    } catch (...) {
        stop();
        throw;
    }
    // GET /config shows the port actually bound (the configuration may say 0).
    std::lock_guard lock(impl_->context.config_mutex);
    impl_->context.config_overlay["control"] = boost::json::object{{"port", impl_->http.port()}};
}

void ControlServer::stop() {
    if (!impl_) return;
    for (auto id : impl_->subscriptions) impl_->context.services.registry->unsubscribe(id);
    impl_->subscriptions.clear();
    impl_->http.stop();
}

const std::string& ControlServer::address() const { return impl_->http.address(); }
std::uint16_t ControlServer::port() const { return impl_->http.port(); }

std::function<void(const identity::IdentityEvent&)> ControlServer::identity_observer() {
    Impl* impl = impl_.get();
    return [impl](const identity::IdentityEvent& e) {
        impl->context.identity_requests.record(e);
        impl->context.metrics.add_identity_request(e.grant.empty() ? e.path : e.grant, e.ok ? "ok" : e.error);
        if (impl->hub->subscribers() != 0) impl->hub->publish_document(boost::json::serialize(identity_event_json(e)));
    };
}

std::string ControlServer::listening_line() const {
    return "control " + address() + ":" + std::to_string(port());
}

}  // namespace exosim::control
