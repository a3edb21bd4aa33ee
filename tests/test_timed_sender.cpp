#include <catch2/catch.hpp>

#include <chrono>

#include "timed_sender.h"

using wsdemo::TimedSender;
using namespace std::chrono_literals;

namespace {

const TimedSender::Clock::time_point kStart{};

TimedSender every200ms(std::optional<uint64_t> times) {
    return TimedSender({"tick", 200ms, times});
}

}  // namespace

TEST_CASE("no timed message is due before the connection opens", "[timed]") {
    TimedSender sender = every200ms(3);
    CHECK_FALSE(sender.running());
    CHECK_FALSE(sender.due(kStart + 1h));
    CHECK_FALSE(sender.nextDue());
}

TEST_CASE("the first send is due one interval after the open, then an interval after each",
          "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kStart);
    CHECK_FALSE(sender.due(kStart + 199ms));
    CHECK(sender.due(kStart + 200ms));
    CHECK(sender.message() == "tick");
    // Sent a little late: the next is still a whole interval after it.
    sender.sent(kStart + 230ms);
    CHECK(sender.nextDue() == kStart + 430ms);
    CHECK_FALSE(sender.due(kStart + 429ms));
    CHECK(sender.due(kStart + 430ms));
    sender.sent(kStart + 430ms);
    CHECK(sender.count() == 2);
    CHECK_FALSE(sender.done());  // No limit.
}

TEST_CASE("a send more than an interval late is not followed by a burst", "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kStart);
    REQUIRE(sender.due(kStart + 200ms));
    sender.sent(kStart + 1000ms);  // The send queue was full for 800 ms.
    CHECK(sender.nextDue() == kStart + 1200ms);
    CHECK_FALSE(sender.due(kStart + 1199ms));
}

TEST_CASE("after `times` sends nothing more is due", "[timed]") {
    TimedSender sender = every200ms(3);
    sender.start(kStart);
    for (int i = 1; i <= 3; ++i) {
        const auto at = kStart + i * 200ms;
        REQUIRE(sender.due(at));
        sender.sent(at);
    }
    CHECK(sender.count() == 3);
    CHECK(sender.done());
    CHECK_FALSE(sender.running());
    CHECK_FALSE(sender.due(kStart + 1h));
    CHECK_FALSE(sender.stopped());
}

TEST_CASE("a queue that refused the send leaves it due", "[timed]") {
    TimedSender sender = every200ms(2);
    sender.start(kStart);
    CHECK(sender.due(kStart + 200ms));
    CHECK(sender.due(kStart + 210ms));  // sent() not called: still the same, first send.
    CHECK(sender.count() == 0);
}

TEST_CASE("a disconnect stops it for good", "[timed]") {
    TimedSender sender = every200ms(5);
    sender.start(kStart);
    sender.sent(kStart + 200ms);
    sender.stop();
    CHECK(sender.stopped());
    CHECK_FALSE(sender.due(kStart + 400ms));
    SECTION("a later open (a reconnect) starts nothing") {
        sender.start(kStart + 1s);
        CHECK_FALSE(sender.running());
        CHECK_FALSE(sender.due(kStart + 2s));
    }
    CHECK(sender.count() == 1);
}

TEST_CASE("a second open while running changes nothing", "[timed]") {
    TimedSender sender = every200ms(std::nullopt);
    sender.start(kStart);
    sender.start(kStart + 150ms);
    CHECK(sender.nextDue() == kStart + 200ms);
}
