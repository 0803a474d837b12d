#include "app/report_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "app/cli.hpp"
#include "scenario/report_html.hpp"
#include "scenario/report_json.hpp"
#include "scenario/report_junit.hpp"
#include "scenario/results_merge.hpp"

namespace exosim::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

po::options_description merge_description() {
    po::options_description d("exosim report merge DIR... [--out DIR]\n"
                              "  DIR: a `certify --shard I/N --out DIR` report directory (or its results.json)");
    d.add_options()
        ("help,h", "this text")
        ("out", po::value<std::string>()->default_value("exosim-report"), "merged report directory (junit.xml, results.json, report.html)")
        ("dir", po::value<std::vector<std::string>>()->multitoken(), "shard report directories (positional)");
    return d;
}

bool write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

// Throws scenario::MergeError naming the file when it cannot be read or is not results.json.
scenario::ShardResult read_shard(const std::string& arg) {
    const fs::path file = fs::is_directory(arg) ? fs::path(arg) / "results.json" : fs::path(arg);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw scenario::MergeError("cannot merge the shards:\n  " + file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return {arg, scenario::parse_results_json(text.str())};
    } catch (const std::invalid_argument& e) {
        throw scenario::MergeError("cannot merge the shards:\n  " + file.string() + ": " + e.what());
    }
}

int merge(const std::vector<std::string>& args) {
    po::variables_map vm;
    po::positional_options_description positional;
    positional.add("dir", -1);
    try {
        po::store(po::command_line_parser(args).options(merge_description()).positional(positional).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << merge_description();
            return 0;
        }
        if (!vm.count("dir")) throw UsageError("give the shards' report directories");
    } catch (const std::exception& e) {
        std::cerr << "exosim report merge: " << e.what() << "\n(see exosim report merge --help)\n";
        return 2;
    }
    scenario::SuiteResult merged;
    std::size_t shards = 0;
    try {
        std::vector<scenario::ShardResult> inputs;
        for (const std::string& dir : vm["dir"].as<std::vector<std::string>>()) inputs.push_back(read_shard(dir));
        shards = inputs.size();
        merged = scenario::merge_shards(inputs);
    } catch (const scenario::MergeError& e) {
        std::cerr << "exosim report merge: " << e.what() << "\n";
        return 2;
    }
    const fs::path out = vm["out"].as<std::string>();
    if (!write_reports(out, merged)) {
        std::cerr << "exosim report merge: cannot write the reports to " << out << "\n";
        return 1;
    }
    std::cout << merged.count(scenario::Verdict::pass) << " pass, " << merged.count(scenario::Verdict::fail) << " fail, "
              << merged.count(scenario::Verdict::error) << " error, " << merged.count(scenario::Verdict::skipped)
              << " skipped (" << merged.name << ", " << shards << " shards merged); reports in " << out.string() << std::endl;
    return merged.all_passed() ? 0 : 1;
}

}  // namespace

bool write_reports(const fs::path& out, const scenario::SuiteResult& suite) {
    std::error_code ec;
    fs::create_directories(out, ec);
    return !ec && write_file(out / "junit.xml", scenario::junit_xml(suite)) &&
           write_file(out / "results.json", scenario::results_json(suite)) &&
           write_file(out / "report.html", scenario::report_html(suite));
}

int report_command(const std::vector<std::string>& args) {
    if (!args.empty() && args.front() == "merge") return merge({args.begin() + 1, args.end()});
    const bool help = !args.empty() && (args.front() == "-h" || args.front() == "--help");
    (help ? std::cout : std::cerr) << "usage: exosim report merge DIR... [--out DIR]   (exosim report merge --help)\n";
    return help ? 0 : 2;
}

}  // namespace exosim::app
