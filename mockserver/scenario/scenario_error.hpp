#pragma once
// An invalid scenario or suite (STYLE 4: invalid configuration is an exception, before serving).
// what() reads "<file>:<line>:<column>: <key path>: <message>" for YAML (1-based, as editors and
// compilers print positions) and "<source>: <key path>: <message>" for JSON, which carries no positions.
#include <stdexcept>
#include <string>

namespace exosim::scenario {

class ScenarioError : public std::runtime_error {
public:
    // line/column 0: position unknown (JSON documents, files that could not be read).
    ScenarioError(std::string file, int line, int column, std::string key_path, std::string message)
        : std::runtime_error(format(file, line, column, key_path, message)),
          file_(std::move(file)), line_(line), column_(column),
          key_path_(std::move(key_path)), message_(std::move(message)) {}

    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& key_path() const { return key_path_; }
    const std::string& message() const { return message_; }

private:
    static std::string format(const std::string& file, int line, int column, const std::string& key,
                              const std::string& message) {
        std::string out = file;
        if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
        return out + ": " + key + ": " + message;
    }

    std::string file_;
    int line_;
    int column_;
    std::string key_path_;
    std::string message_;
};

}  // namespace exosim::scenario
