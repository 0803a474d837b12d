#include "app/certify.hpp"

#include <gtest/gtest.h>

#include "app/cli.hpp"

namespace exosim::app {
namespace {

CertifyOptions parse(std::vector<std::string> extra, std::vector<std::string> mode = {"--client", "x {host}"}) {
    std::vector<std::string> args = {"--scenario", "s.yaml"};
    args.insert(args.end(), mode.begin(), mode.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return parse_certify_options(args);
}

std::string usage_error(std::vector<std::string> extra, std::vector<std::string> mode = {"--client", "x {host}"}) {
    try {
        parse(std::move(extra), std::move(mode));
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(CertifyOptions, JobsFromOneToMaxJobs) {
    static_assert(max_jobs == 64);
    EXPECT_EQ(usage_error({"--jobs", "0"}), "--jobs must be 1 to 64, not 0");
    EXPECT_EQ(parse({"--jobs", "1"}).jobs, 1u);
    EXPECT_EQ(parse({"--jobs", "63"}).jobs, 63u);
    EXPECT_EQ(parse({"--jobs", "64"}).jobs, 64u);
    EXPECT_EQ(usage_error({"--jobs", "65"}), "--jobs must be 1 to 64, not 65");
    EXPECT_EQ(parse({"-j", "3"}).jobs, 3u);
}

TEST(CertifyOptions, DefaultJobsForACommandAtLeastEightOneForADevice) {
    const CertifyOptions client = parse({});
    EXPECT_FALSE(client.jobs.has_value());
    EXPECT_EQ(effective_jobs(client), default_jobs());
    EXPECT_GE(default_jobs(), 8u);
    EXPECT_LE(default_jobs(), max_jobs);
    EXPECT_EQ(effective_jobs(parse({}, {"--manual"})), 1u);
    EXPECT_EQ(effective_jobs(parse({}, {"--trigger-url", "http://device/"})), 1u);
    EXPECT_EQ(effective_jobs(parse({"--jobs", "5"})), 5u);
}

TEST(CertifyOptions, ADeviceIsOneJob) {
    EXPECT_EQ(parse({"--jobs", "1"}, {"--manual"}).jobs, 1u);
    EXPECT_EQ(usage_error({"--jobs", "2"}, {"--manual"}),
              "--jobs 2 is for --client: one device is one device, so --manual and --trigger-url run one scenario at a time");
    EXPECT_NE(usage_error({"--jobs", "2"}, {"--trigger-url", "http://device/"}).find("--jobs 2 is for --client"), std::string::npos);
}

TEST(CertifyOptions, Shard) {
    EXPECT_FALSE(parse({}).shard.has_value());
    EXPECT_EQ(parse({"--shard", "2/5"}).shard, (scenario::Shard{2, 5}));
    EXPECT_EQ(usage_error({"--shard", "6/5"}), "--shard: I must be 1 to N (5), not 6");
    EXPECT_EQ(usage_error({"--shard", "x"}), "--shard: 'x' is not I/N (e.g. 2/4)");
}

}  // namespace
}  // namespace exosim::app
