#include "control/connection_table.hpp"

#include <gtest/gtest.h>

namespace exosim::control {
namespace {

using namespace std::chrono_literals;
using Phase = ConnectionTable::Phase;
const auto t0 = ConnectionTable::Clock::time_point{} + 1000s;

TEST(ConnectionTable, AdmitsUpToCapacityWithoutShedding) {
    ConnectionTable t(3);
    for (int i = 0; i < 3; ++i) {  // n-1 connections open, then the n-th
        auto a = t.admit(t0 + std::chrono::seconds(i));
        ASSERT_TRUE(a.id);
        EXPECT_FALSE(a.shed);
    }
    EXPECT_EQ(t.size(), 3u);
}

TEST(ConnectionTable, TheNPlusFirstShedsTheOldestIdleBeforeAnyReader) {
    ConnectionTable t(3);
    auto reader = t.admit(t0);            // oldest, but reading
    auto idle_new = t.admit(t0 + 1s);
    auto idle_old = t.admit(t0 + 2s);
    t.set_phase(*idle_new.id, Phase::idle, t0 + 20s);
    t.set_phase(*idle_old.id, Phase::idle, t0 + 10s);
    auto a = t.admit(t0 + 30s);
    ASSERT_TRUE(a.id);
    EXPECT_EQ(a.shed, idle_old.id);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_FALSE(t.contains(*idle_old.id));
    EXPECT_TRUE(t.contains(*reader.id));
    auto b = t.admit(t0 + 31s);
    EXPECT_EQ(b.shed, idle_new.id);
}

TEST(ConnectionTable, WithoutIdleConnectionsTheSlowestReaderGoesAndTheNewestStays) {
    ConnectionTable t(3);
    auto slow = t.admit(t0);
    auto mid = t.admit(t0 + 1s);
    auto fresh = t.admit(t0 + 2s);
    auto a = t.admit(t0 + 3s);
    EXPECT_EQ(a.shed, slow.id);
    auto b = t.admit(t0 + 4s);
    EXPECT_EQ(b.shed, mid.id);
    auto c = t.admit(t0 + 5s);
    EXPECT_EQ(c.shed, fresh.id);
    auto d = t.admit(t0 + 6s);
    EXPECT_EQ(d.shed, a.id);
}

TEST(ConnectionTable, AReaderRestartsItsAgeWhenANewRequestBegins) {
    ConnectionTable t(2);
    auto first = t.admit(t0);
    auto second = t.admit(t0 + 1s);
    t.set_phase(*first.id, Phase::reading, t0 + 5s);  // answered one request, reading the next
    auto a = t.admit(t0 + 6s);
    EXPECT_EQ(a.shed, second.id);
}

TEST(ConnectionTable, BusyConnectionsAreNeverShedAndAFullBusyTableRefuses) {
    ConnectionTable t(2);
    auto a = t.admit(t0);
    auto b = t.admit(t0 + 1s);
    t.set_phase(*a.id, Phase::busy, t0 + 2s);
    t.set_phase(*b.id, Phase::busy, t0 + 3s);
    auto c = t.admit(t0 + 4s);
    EXPECT_FALSE(c.id);
    EXPECT_FALSE(c.shed);
    EXPECT_EQ(t.size(), 2u);
    t.set_phase(*b.id, Phase::idle, t0 + 5s);
    auto d = t.admit(t0 + 6s);
    ASSERT_TRUE(d.id);
    EXPECT_EQ(d.shed, b.id);
}

TEST(ConnectionTable, RemovedAndShedIdsAreForgotten) {
    ConnectionTable t(1);
    auto a = t.admit(t0);
    t.remove(*a.id);
    EXPECT_EQ(t.size(), 0u);
    auto b = t.admit(t0 + 1s);
    EXPECT_FALSE(b.shed);
    auto c = t.admit(t0 + 2s);
    EXPECT_EQ(c.shed, b.id);
    t.set_phase(*b.id, Phase::busy, t0 + 3s);  // the shed connection's coroutine still runs: ignored
    t.remove(*b.id);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_TRUE(t.contains(*c.id));
}

TEST(ConnectionTable, ZeroCapacityRefusesEveryone) {
    ConnectionTable t(0);
    EXPECT_FALSE(t.admit(t0).id);
}

}  // namespace
}  // namespace exosim::control
