#pragma once
// identity::DurableLog over store::Journal: what the sign-in service keeps across restarts
// (refresh tokens, revocations) in <data-dir>/identity/<name>. Lives in app so that store does
// not depend on identity.
#include <filesystem>

#include "identity/durable_log.hpp"
#include "store/journal.hpp"

namespace exosim::app {

class JournalLog final : public identity::DurableLog {
public:
    // Creates the file's directory when missing. Throws std::runtime_error naming the file.
    explicit JournalLog(const std::filesystem::path& file);

    void append(std::string_view record) override;
    std::vector<std::string> replay() override;
    void rewrite(const std::vector<std::string>& records) override;

private:
    static std::filesystem::path prepared(const std::filesystem::path& file);
    store::Journal journal_;
};

}  // namespace exosim::app
