// One replay as a model, driven with a fake clock: what is due when at each pace, one step at a
// time, when it is over, and what it compares.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "replay_run.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

MessagePtr text(std::string data) {
    return std::make_shared<const Message>(Message{Message::Type::kText, std::move(data), {}});
}

// Three sends at 0, 100 and 300 ms; two replies recorded.
ReplayScript script() {
    ReplayScript script;
    script.connection = 1;
    script.sends = {{0ms, text("a")}, {100ms, text("b")}, {300ms, text("c")}};
    script.replies = {text("A"), text("B")};
    return script;
}

std::vector<std::string> texts(const std::vector<MessagePtr>& messages) {
    std::vector<std::string> result;
    for (const MessagePtr& message : messages) result.push_back(message->data);
    return result;
}

const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;

}  // namespace

TEST_CASE("nothing is due before the connection opens", "[replay-run]") {
    ReplayRun run(script(), ReplayPace{}, false);
    CHECK(run.due(t0 + 1h).empty());
    CHECK_FALSE(run.nextDue());
    CHECK_FALSE(run.over(t0 + 1h));
}

TEST_CASE("at the recorded pace each step is due at its recorded time, once", "[replay-run]") {
    ReplayRun run(script(), ReplayPace{}, false);
    run.start(t0);
    CHECK(texts(run.due(t0)) == std::vector<std::string>{"a"});
    CHECK(run.due(t0).empty());
    CHECK(run.nextDue() == t0 + 100ms);
    CHECK(run.due(t0 + 99ms).empty());
    CHECK(texts(run.due(t0 + 100ms)) == std::vector<std::string>{"b"});
    CHECK(run.nextDue() == t0 + 300ms);
    CHECK(texts(run.due(t0 + 1s)) == std::vector<std::string>{"c"});
    CHECK_FALSE(run.nextDue());
    CHECK(run.sent() == 3);
    CHECK(run.total() == 3);
}

TEST_CASE("fast sends everything at once, scaled divides the times", "[replay-run]") {
    SECTION("fast") {
        ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kFast, 1.0}, false);
        run.start(t0);
        CHECK(texts(run.due(t0)) == std::vector<std::string>{"a", "b", "c"});
    }
    SECTION("ten times as fast") {
        ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kScaled, 10.0}, false);
        run.start(t0);
        CHECK(texts(run.due(t0 + 10ms)) == std::vector<std::string>{"a", "b"});
        CHECK(run.nextDue() == t0 + 30ms);
    }
}

TEST_CASE("stepwise sends nothing by time, one step at each next()", "[replay-run]") {
    ReplayRun run(script(), ReplayPace{}, true);
    CHECK_FALSE(run.next(t0));  // Not open yet.
    run.start(t0);
    CHECK(run.due(t0 + 1h).empty());
    CHECK_FALSE(run.nextDue());
    CHECK(run.next(t0)->data == "a");
    CHECK(run.next(t0)->data == "b");
    CHECK(run.next(t0)->data == "c");
    CHECK_FALSE(run.next(t0));
    CHECK(run.sent() == 3);
}

TEST_CASE("over once all is sent and every recorded reply came, or 2 s of silence",
          "[replay-run]") {
    ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kFast, 1.0}, false);
    run.start(t0);
    run.onReceived(text("A"), t0);  // Before the last send: not over yet.
    CHECK_FALSE(run.over(t0));
    run.due(t0 + 1s);
    SECTION("as many replies as recorded") {
        CHECK_FALSE(run.over(t0 + 1s));
        run.onReceived(text("B"), t0 + 1500ms);
        CHECK(run.over(t0 + 1500ms));
        CHECK_FALSE(run.quietDeadline());
    }
    SECTION("silence since the last send") {
        CHECK(run.quietDeadline() == t0 + 3s);
        CHECK_FALSE(run.over(t0 + 2999ms));
        CHECK(run.over(t0 + 3s));
    }
    SECTION("any reply counts, expected or not") {
        run.onReceived(text("extra"), t0 + 2s);
        CHECK(run.over(t0 + 2s));  // Two replies came, as many as recorded.
        CHECK(run.received() == 2);
    }
}

TEST_CASE("a reply after the last send moves the quiet deadline", "[replay-run]") {
    ReplayScript longer = script();
    longer.replies.push_back(text("C"));
    ReplayRun run(std::move(longer), ReplayPace{ReplayPace::Kind::kFast, 1.0}, false);
    run.start(t0);
    run.due(t0);
    run.onReceived(text("A"), t0 + 1s);
    CHECK(run.quietDeadline() == t0 + 3s);
    CHECK_FALSE(run.over(t0 + 2500ms));
    CHECK(run.over(t0 + 3s));
}

TEST_CASE("the comparison sets what came against what was recorded", "[replay-run]") {
    ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kFast, 1.0}, false);
    run.start(t0);
    run.due(t0);
    run.onReceived(text("A"), t0);
    REQUIRE(run.comparison().size() == 2);
    CHECK(run.comparison()[0].verdict == ReplyVerdict::kSame);
    CHECK(run.comparison()[1].verdict == ReplyVerdict::kMissing);
    run.onReceived(text("B"), t0);
    CHECK(allSame(run.comparison()));
}

TEST_CASE("replies beyond the limits are counted but not kept", "[replay-run]") {
    RecordingLimits limits;
    limits.maxEvents = 1;
    ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kFast, 1.0}, false, limits);
    run.start(t0);
    run.onReceived(text("A"), t0);
    run.onReceived(text("B"), t0);
    CHECK(run.received() == 2);
    CHECK(run.repliesNotKept() == 1);
    CHECK(run.comparison().size() == 2);  // "B" recorded, none kept now: missing.
}
