#include <catch2/catch.hpp>

#include <chrono>

#include "timed_sender.h"

using wsdemo::TimedSender;
using namespace std::chrono_literals;

namespace {

const TimedSender::Clock::time_point kTimerStart{};

TimedSender every200ms(std::optional<uint64_t> times) {
    return TimedSender({"tick", 200ms, times});
}

}  // namespace

TEST_CASE("no timed message is due before the connection opens", "[timed]") {
    TimedSender sender = every200ms(3);
    CHECK_FALSE(sender.running());
    CHECK_FALSE(sender.due(kTimerStart + 1h));
    CHECK_FALSE(sender.nextDue());
}

TEST_CASE("the first send is due one interval after the open, then an interval after each",
          "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kTimerStart);
    CHECK_FALSE(sender.due(kTimerStart + 199ms));
    CHECK(sender.due(kTimerStart + 200ms));
    CHECK(sender.message() == "tick");
    // Sent a little late: the next is still a whole interval after it.
    sender.sent(kTimerStart + 230ms);
    CHECK(sender.nextDue() == kTimerStart + 430ms);
    CHECK_FALSE(sender.due(kTimerStart + 429ms));
    CHECK(sender.due(kTimerStart + 430ms));
    sender.sent(kTimerStart + 430ms);
    CHECK(sender.count() == 2);
    CHECK_FALSE(sender.done());  // No limit.
}

TEST_CASE("a send more than an interval late is not followed by a burst", "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kTimerStart);
    REQUIRE(sender.due(kTimerStart + 200ms));
    sender.sent(kTimerStart + 1000ms);  // The send queue was full for 800 ms.
    CHECK(sender.nextDue() == kTimerStart + 1200ms);
    CHECK_FALSE(sender.due(kTimerStart + 1199ms));
}

TEST_CASE("after `times` sends nothing more is due", "[timed]") {
    TimedSender sender = every200ms(3);
    sender.start(kTimerStart);
    for (int i = 1; i <= 3; ++i) {
        const auto at = kTimerStart + i * 200ms;
        REQUIRE(sender.due(at));
        sender.sent(at);
    }
    CHECK(sender.count() == 3);
    CHECK(sender.done());
    CHECK_FALSE(sender.running());
    CHECK_FALSE(sender.due(kTimerStart + 1h));
    CHECK_FALSE(sender.stopped());
}

TEST_CASE("a queue that refused the send leaves it due", "[timed]") {
    TimedSender sender = every200ms(2);
    sender.start(kTimerStart);
    CHECK(sender.due(kTimerStart + 200ms));
    CHECK(sender.due(kTimerStart + 210ms));  // sent() not called: still the same, first send.
    CHECK(sender.count() == 0);
}

TEST_CASE("a disconnect stops it for good", "[timed]") {
    TimedSender sender = every200ms(5);
    sender.start(kTimerStart);
    sender.sent(kTimerStart + 200ms);
    sender.stop();
    CHECK(sender.stopped());
    CHECK_FALSE(sender.due(kTimerStart + 400ms));
    SECTION("a later open (a reconnect) starts nothing") {
        sender.start(kTimerStart + 1s);
        CHECK_FALSE(sender.running());
        CHECK_FALSE(sender.due(kTimerStart + 2s));
    }
    CHECK(sender.count() == 1);
}

TEST_CASE("a second open while running changes nothing", "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kTimerStart);
    sender.start(kTimerStart + 150ms);
    CHECK(sender.nextDue() == kTimerStart + 200ms);
}
