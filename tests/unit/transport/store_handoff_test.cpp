// The store hand-off: a store that throws or fails is reported as a typed note, never silently.
#include "transport/store_handoff.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace exosim::transport {
namespace {

std::string no_error() { return {}; }

TEST(StoreHandoff, AStoredMessageHasAnIdAndNoFailure) {
    const StoreOutcome out = guarded_store("S1", [] { return std::optional<std::string>("ID1"); }, no_error);
    ASSERT_TRUE(out.id);
    EXPECT_EQ(*out.id, "ID1");
    EXPECT_FALSE(out.failure);
}

TEST(StoreHandoff, AThrowingStoreIsAnExceptionFailureWithItsCause) {
    testing::internal::CaptureStderr();
    const StoreOutcome out = guarded_store(
        "S2", []() -> std::optional<std::string> { throw std::logic_error("index out of range"); }, no_error);
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_FALSE(out.id);
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->kind, StoreFailure::exception);
    EXPECT_EQ(out.failure->cause, "index out of range");
    EXPECT_EQ(log, "exosim: session S2: message not stored (exception): index out of range\n");
    const TransportNote note{*out.failure};
    EXPECT_EQ(note_kind(note), "store-failed");
    EXPECT_EQ(note_detail(note), "exception: index out of range");

    testing::internal::CaptureStderr();
    const StoreOutcome odd = guarded_store("S3", []() -> std::optional<std::string> { throw 42; }, no_error);
    testing::internal::GetCapturedStderr();
    ASSERT_TRUE(odd.failure);
    EXPECT_EQ(odd.failure->cause, "unknown exception");
}

TEST(StoreHandoff, AFailedWriteIsNotAnExceptionAndCarriesTheStoresReason) {
    testing::internal::CaptureStderr();
    const StoreOutcome out = guarded_store(
        "S4", [] { return std::optional<std::string>(); }, [] { return std::string("No space left on device"); });
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_FALSE(out.id);
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->kind, StoreFailure::write_failed);
    EXPECT_EQ(out.failure->cause, "No space left on device");
    EXPECT_EQ(note_detail(TransportNote{*out.failure}), "write failed: No space left on device");
    EXPECT_NE(log.find("(write failed): No space left on device"), std::string::npos);
}

}  // namespace
}  // namespace exosim::transport
