#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "headless_replay.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

using Clock = PacedReplay::Clock;
const Clock::time_point kOpen{};

MessagePtr text(std::string data) {
    return std::make_shared<const Message>(Message{Message::Type::kText, std::move(data), {}});
}

// Sends "a" at 0 ms and "b" at 500 ms; the server answered each with its echo.
ReplayScript twoSteps() {
    ReplayScript script;
    script.sends = {{0ms, text("a")}, {500ms, text("b")}};
    script.replies = {text("a"), text("b")};
    return script;
}

ReplayPace pace(ReplayPace::Kind kind, double factor = 1.0) {
    return ReplayPace{kind, factor};
}

}  // namespace

TEST_CASE("a replay sends nothing before the connection opens", "[replay]") {
    PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kRecorded));
    CHECK_FALSE(run.due(kOpen + 1h));
    CHECK_FALSE(run.nextWake(kOpen));
    CHECK_FALSE(run.finished(kOpen + 1h));
}

TEST_CASE("at the recorded pace a gap counts from the previous step's write", "[replay]") {
    PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kRecorded));
    run.start(kOpen);
    REQUIRE(run.due(kOpen));
    CHECK(run.due(kOpen)->data == "a");
    run.stepDone(true, kOpen);
    CHECK_FALSE(run.due(kOpen + 1h));  // "a" is not written yet.
    CHECK_FALSE(run.nextWake(kOpen));  // Its MessageSent will wake.
    run.written(kOpen + 30ms);
    CHECK_FALSE(run.due(kOpen + 529ms));
    CHECK(run.nextWake(kOpen + 30ms) == kOpen + 530ms);
    REQUIRE(run.due(kOpen + 530ms));
    CHECK(run.due(kOpen + 530ms)->data == "b");
}

TEST_CASE("a factor shortens the gaps, fast waits for nothing", "[replay]") {
    SECTION("ten times as fast") {
        PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kScaled, 10));
        run.start(kOpen);
        run.stepDone(true, kOpen);
        run.written(kOpen);
        CHECK_FALSE(run.due(kOpen + 49ms));
        CHECK(run.due(kOpen + 50ms));
    }
    SECTION("fast: the next step is due as soon as the last was taken") {
        PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kFast));
        run.start(kOpen);
        run.stepDone(true, kOpen);
        CHECK(run.due(kOpen));
    }
}

TEST_CASE("the wait for replies ends with as many as recorded, or 2 s of silence", "[replay]") {
    PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kFast));
    run.start(kOpen);
    run.stepDone(true, kOpen);
    run.stepDone(true, kOpen);
    run.written(kOpen + 1ms);
    CHECK_FALSE(run.finished(kOpen + 1h));  // "b" is not written yet.
    run.written(kOpen + 2ms);
    run.received(text("a"), kOpen + 3ms);
    CHECK_FALSE(run.finished(kOpen + 3ms));

    SECTION("every reply came") {
        run.received(text("b"), kOpen + 4ms);
        CHECK(run.finished(kOpen + 4ms));
        CHECK(allSame(run.compare()));
    }
    SECTION("silence after the last reply") {
        CHECK(run.nextWake(kOpen + 3ms) == kOpen + 3ms + PacedReplay::kSilence);
        CHECK_FALSE(run.finished(kOpen + 2002ms));
        CHECK(run.finished(kOpen + 2003ms));
        const auto comparison = run.compare();
        REQUIRE(comparison.size() == 2);
        CHECK(comparison[1].verdict == ReplyVerdict::kMissing);
    }
}

TEST_CASE("replies that keep coming are waited for 30 s at most", "[replay]") {
    ReplayScript script = twoSteps();
    script.replies.assign(100, text("x"));
    PacedReplay run(script, pace(ReplayPace::Kind::kFast));
    run.start(kOpen);
    run.stepDone(true, kOpen);
    run.stepDone(true, kOpen);
    run.written(kOpen);
    run.written(kOpen);
    for (auto at = 1s; at < 30s; at += 1s) run.received(text("x"), kOpen + at);
    CHECK_FALSE(run.finished(kOpen + 29500ms));
    CHECK(run.finished(kOpen + 30s));
}

TEST_CASE("a step the channel refused is not waited for", "[replay]") {
    PacedReplay run(twoSteps(), pace(ReplayPace::Kind::kRecorded));
    run.start(kOpen);
    run.stepDone(false, kOpen + 1ms);  // Too large, say.
    CHECK(run.due(kOpen + 501ms));
    CHECK(run.stepsDone() == 1);
}
