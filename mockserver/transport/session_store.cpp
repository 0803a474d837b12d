// The hand-off of a received message to the store, on the store pool when it blocks (disk).
#include "transport/session_impl.hpp"

#include <boost/asio/co_spawn.hpp>

#include "store/message_store.hpp"
#include "transport/store_handoff.hpp"

namespace exosim::transport::detail {

namespace {

StoreOutcome store_blocking(store::MessageStore& store, std::string_view session_id, store::MessageMeta meta,
                            std::string_view content) {
    return guarded_store(
        session_id, [&] { return store.store(std::move(meta), content); }, [&] { return store.last_error(); });
}

// Runs the blocking store on the pool (fsync must not stall the I/O thread); the awaiting
// session resumes on its own executor.
asio::awaitable<StoreOutcome> store_on_pool(store::MessageStore& store, std::string session_id,
                                            store::MessageMeta meta, std::string content) {
    co_return store_blocking(store, session_id, std::move(meta), content);
}

}  // namespace

asio::awaitable<void> Session::store_message(core::StoreMessage& message) {
    co_await flush();
    const core::SessionState& state = engine_->state();
    store::MessageMeta meta;
    meta.session_id = record_.id;
    meta.listener = record_.listener;
    meta.client_address = record_.client_address;
    meta.seen_address = record_.seen_address;
    // What is on the wire, from the transport: also right for implicit TLS, which the engine
    // only learns through ConnectionInfo::implicit_tls.
    meta.tls_version = record_.tls_version;
    meta.tls_cipher = record_.tls_cipher;
    meta.auth_identity = state.auth_identity.value_or("");
    meta.helo = state.helo.value_or("");
    meta.envelope = std::move(message.envelope);
    meta.size = message.content.size();
    meta.received_at = std::chrono::system_clock::now();
    meta.annotations_json = std::move(message.annotations_json);  // policy's stored-copy annotations
    // RFC 5321 6.1: the 250 is produced by message_stored(), after store() returned (durable).
    StoreOutcome outcome;
    if (services_.store->mode() == store::CaptureMode::disk) {
        outcome = co_await asio::co_spawn(
            *services_.store_pool,
            store_on_pool(*services_.store, record_.id, std::move(meta), std::move(message.content)),
            asio::use_awaitable);
    } else {
        // Memory and off capture never block: no trip to the pool and back.
        outcome = store_blocking(*services_.store, record_.id, std::move(meta), message.content);
    }
    if (outcome.failure) note(std::move(*outcome.failure));
    if (outcome.id) {
        record_.message_ids.push_back(*outcome.id);
        if (services_.registry) services_.registry->update(record_);
    }
    engine_->message_stored(outcome.id.has_value(), outcome.id.value_or(""));
}

}  // namespace exosim::transport::detail
