#pragma once
// What an Exchange Online policy adds to the stored copy of an accepted message. Until the seam
// (core::SessionPolicy / Decision) carries these, the transport reaches them with
// dynamic_cast<const exo::StoredCopyHook*>(&policy) after on_message proceeded.
#include <optional>
#include <string>
#include <string_view>

#include "core/session_state.hpp"

namespace exosim::policy::exo {

class StoredCopyHook {
public:
    virtual ~StoredCopyHook() = default;
    // JSON object text for store::MessageMeta::annotations_json of the message just accepted,
    // e.g. {"deliver_after":"2025-11-23T11:13:20.000Z","throttled":true}.
    virtual std::string annotations_json(const core::SessionState& state) const = 0;
    // The content to store instead of what was received (trace headers stamped, a generated
    // Message-ID added); nullopt: store the received bytes.
    virtual std::optional<std::string> stored_content(const core::SessionState& state,
                                                      std::string_view received) const = 0;
};

}  // namespace exosim::policy::exo
