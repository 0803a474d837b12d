#include "app/identity_log.hpp"

namespace exosim::app {

std::filesystem::path JournalLog::prepared(const std::filesystem::path& file) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    return file;
}

JournalLog::JournalLog(const std::filesystem::path& file) : journal_(prepared(file)) {}

void JournalLog::append(std::string_view record) { journal_.append(record); }
std::vector<std::string> JournalLog::replay() { return journal_.replay(); }
void JournalLog::rewrite(const std::vector<std::string>& records) { journal_.rewrite(records); }

}  // namespace exosim::app
