// One replay as a model, driven with a fake clock: when each step is due at each pace, one step
// at a time, with a full send queue or a refusal; when it is over; what it compares; and the
// options a replay connects with.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "replay_run.h"
#include "support/messages.h"

using namespace wsdemo;
using wsdemo::test::textMessage;
using namespace std::chrono_literals;

namespace {

// Three sends at 20, 120 and 320 ms after the open; two replies recorded.
ReplayScript script() {
    ReplayScript script;
    script.connection = 1;
    script.sends = {{20ms, textMessage("a")}, {120ms, textMessage("b")}, {320ms, textMessage("c")}};
    script.replies = {textMessage("A"), textMessage("B")};
    return script;
}

const ReplayPace kRecorded{};
const ReplayPace kFast{ReplayPace::Kind::kFast, 1.0};

const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;

std::string dueText(const ReplayRun& run, SteadyClock::time_point now) {
    const MessagePtr message = run.due(now);
    return message ? message->data : "";
}

// Sends every step and has each written at once, at `now`.
void sendAll(ReplayRun& run, SteadyClock::time_point now) {
    while (run.due(now)) {
        run.onSendResult(SendResult::kQueued, now);
        run.written(now);
    }
}

std::vector<std::string> texts(const std::vector<MessagePtr>& messages) {
    std::vector<std::string> result;
    for (const MessagePtr& message : messages) result.push_back(message->data);
    return result;
}

}  // namespace

TEST_CASE("at --pace fast every step can go at once, in order, up to the number asked",
          "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    CHECK(run.dueSteps(t0, 10).empty());  // Not before the connection opens.
    run.start(t0);
    CHECK(texts(run.dueSteps(t0, 10)) == std::vector<std::string>{"a", "b", "c"});
    CHECK(texts(run.dueSteps(t0, 2)) == std::vector<std::string>{"a", "b"});
    CHECK(run.dueSteps(t0, 0).empty());
    run.onSendResult(SendResult::kQueued, t0);
    CHECK(texts(run.dueSteps(t0, 10)) == std::vector<std::string>{"b", "c"});
}

TEST_CASE("a full queue holds back the step it refused and every one after it", "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    run.start(t0);
    // The channel took "a" and had no room for "b": "c" was not sent, so nothing overtakes "b".
    run.onSendResult(SendResult::kQueued, t0);
    run.onSendResult(SendResult::kQueueFull, t0);
    CHECK(run.dueSteps(t0 + ReplayRun::kRetryAfterFullQueue - 1ms, 10).empty());
    CHECK(texts(run.dueSteps(t0 + ReplayRun::kRetryAfterFullQueue, 10)) ==
          std::vector<std::string>{"b", "c"});
}

TEST_CASE("at the recorded pace, and stepwise, steps go one at a time", "[replay-run]") {
    SECTION("recorded") {
        ReplayRun run(script(), kRecorded, false);
        run.start(t0);
        CHECK(texts(run.dueSteps(t0 + 1h, 10)) == std::vector<std::string>{"a"});
    }
    SECTION("stepwise, even with steps allowed ahead") {
        ReplayRun run(script(), kFast, true);
        run.next();
        run.next();
        run.start(t0);
        CHECK(texts(run.dueSteps(t0, 10)) == std::vector<std::string>{"a"});
    }
}

TEST_CASE("nothing is due before the connection opens", "[replay-run]") {
    ReplayRun run(script(), kRecorded, false);
    CHECK_FALSE(run.due(t0 + 1h));
    CHECK_FALSE(run.nextWake());
    CHECK_FALSE(run.over(t0 + 1h));
}

TEST_CASE("at the recorded pace each gap counts from the previous step's write", "[replay-run]") {
    ReplayRun run(script(), kRecorded, false);
    run.start(t0);
    CHECK(run.nextWake() == t0 + 20ms);
    CHECK(dueText(run, t0 + 19ms).empty());
    CHECK(dueText(run, t0 + 20ms) == "a");
    run.onSendResult(SendResult::kQueued, t0 + 20ms);
    CHECK_FALSE(run.due(t0 + 1h));  // "a" is not written yet.
    CHECK_FALSE(run.nextWake());    // Its MessageSent will come.
    run.written(t0 + 50ms);         // A slow write: "b" is due 100 ms after it.
    CHECK(run.nextWake() == t0 + 150ms);
    CHECK(dueText(run, t0 + 149ms).empty());
    CHECK(dueText(run, t0 + 150ms) == "b");
    run.onSendResult(SendResult::kQueued, t0 + 150ms);
    run.written(t0 + 150ms);
    CHECK(run.nextWake() == t0 + 350ms);
    CHECK(dueText(run, t0 + 350ms) == "c");
    run.onSendResult(SendResult::kQueued, t0 + 350ms);
    CHECK(run.sent() == 3);
    CHECK(run.total() == 3);
}

TEST_CASE("a factor shortens the gaps, fast waits for nothing", "[replay-run]") {
    SECTION("ten times as fast") {
        ReplayRun run(script(), ReplayPace{ReplayPace::Kind::kScaled, 10.0}, false);
        run.start(t0);
        CHECK(dueText(run, t0 + 2ms) == "a");
        run.onSendResult(SendResult::kQueued, t0 + 2ms);
        run.written(t0 + 5ms);
        CHECK(run.nextWake() == t0 + 15ms);
        CHECK(dueText(run, t0 + 15ms) == "b");
    }
    SECTION("fast: each step is due as soon as the channel took the one before") {
        ReplayRun run(script(), kFast, false);
        run.start(t0);
        for (const char* expected : {"a", "b", "c"}) {
            CHECK(dueText(run, t0) == expected);
            run.onSendResult(SendResult::kQueued, t0);
        }
        CHECK_FALSE(run.due(t0));
        CHECK(run.sent() == 3);
    }
}

TEST_CASE("stepwise sends nothing by time, one step for each next()", "[replay-run]") {
    ReplayRun run(script(), kRecorded, true);
    run.next();  // Asked for before the connection opened: goes once it did.
    CHECK_FALSE(run.due(t0));
    run.start(t0);
    CHECK(dueText(run, t0) == "a");
    run.onSendResult(SendResult::kQueued, t0);
    run.written(t0);
    CHECK_FALSE(run.due(t0 + 1h));
    CHECK_FALSE(run.nextWake());
    run.next();
    CHECK(dueText(run, t0 + 1ms) == "b");
    CHECK(run.nextWake() == t0);  // Due already.
}

TEST_CASE("a step the full send queue refused is due again a little later", "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    run.start(t0);
    REQUIRE(dueText(run, t0) == "a");
    run.onSendResult(SendResult::kQueueFull, t0);
    CHECK_FALSE(run.due(t0 + 9ms));
    CHECK(run.nextWake() == t0 + ReplayRun::kRetryAfterFullQueue);
    CHECK(dueText(run, t0 + 10ms) == "a");
    run.onSendResult(SendResult::kQueued, t0 + 10ms);
    CHECK(dueText(run, t0 + 10ms) == "b");
    CHECK(run.sent() == 1);
}

TEST_CASE("a step the channel refused for good is skipped, the next gap counts from then",
          "[replay-run]") {
    ReplayRun run(script(), kRecorded, false);
    run.start(t0);
    run.onSendResult(SendResult::kTooLarge, t0 + 30ms);
    CHECK(run.sent() == 0);
    CHECK(run.refused() == 1);
    CHECK(run.nextWake() == t0 + 130ms);  // Nothing to be written: no wait for it.
    CHECK(dueText(run, t0 + 130ms) == "b");
}

TEST_CASE(
    "over once every step is written and as many replies came as recorded, or 2 s of "
    "silence",
    "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    run.start(t0);
    run.onReceived(textMessage("A"), t0);
    for (int step = 0; step < 3; ++step) run.onSendResult(SendResult::kQueued, t0);
    run.written(t0 + 1ms);
    run.written(t0 + 2ms);
    CHECK_FALSE(run.over(t0 + 1h));  // "c" is not written yet.
    run.written(t0 + 3ms);
    CHECK_FALSE(run.over(t0 + 3ms));
    SECTION("as many replies as recorded") {
        run.onReceived(textMessage("B"), t0 + 4ms);
        CHECK(run.over(t0 + 4ms));
        CHECK_FALSE(run.nextWake());
        CHECK(allSame(run.comparison()));
    }
    SECTION("silence since the last write") {
        CHECK(run.nextWake() == t0 + 3ms + ReplayRun::kSilence);
        CHECK_FALSE(run.over(t0 + 2002ms));
        CHECK(run.over(t0 + 2003ms));
        REQUIRE(run.comparison().size() == 2);
        CHECK(run.comparison()[1].verdict == ReplyVerdict::kMissing);
    }
    SECTION("any reply counts, expected or not") {
        run.onReceived(textMessage("extra"), t0 + 1s);
        CHECK(run.over(t0 + 1s));
        CHECK(run.received() == 2);
    }
}

TEST_CASE("a reply after the last write moves the silence deadline", "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    run.start(t0);
    sendAll(run, t0);
    run.onReceived(textMessage("A"), t0 + 1s);
    CHECK(run.nextWake() == t0 + 1s + ReplayRun::kSilence);
    CHECK_FALSE(run.over(t0 + 2500ms));
    CHECK(run.over(t0 + 3s));
}

TEST_CASE("replies that keep coming are waited for 30 s at most after the last write",
          "[replay-run]") {
    ReplayScript many = script();
    many.replies.assign(100, textMessage("x"));
    ReplayRun run(std::move(many), kFast, false);
    run.start(t0);
    sendAll(run, t0);
    for (auto at = 1s; at < 30s; at += 1s) run.onReceived(textMessage("x"), t0 + at);
    CHECK(run.nextWake() == t0 + ReplayRun::kMaxWait);
    CHECK_FALSE(run.over(t0 + 29500ms));
    CHECK(run.over(t0 + 30s));
}

TEST_CASE("the comparison sets what came against what was recorded", "[replay-run]") {
    ReplayRun run(script(), kFast, false);
    run.start(t0);
    run.onReceived(textMessage("A"), t0);
    REQUIRE(run.comparison().size() == 2);
    CHECK(run.comparison()[0].verdict == ReplyVerdict::kSame);
    CHECK(run.comparison()[1].verdict == ReplyVerdict::kMissing);
    run.onReceived(textMessage("B"), t0);
    CHECK(allSame(run.comparison()));
}

TEST_CASE("replies beyond the limits are counted but not kept", "[replay-run]") {
    RecordingLimits limits;
    limits.maxEvents = 1;
    ReplayRun run(script(), kFast, false, limits);
    run.start(t0);
    run.onReceived(textMessage("A"), t0);
    run.onReceived(textMessage("B"), t0);
    CHECK(run.received() == 2);
    CHECK(run.repliesNotKept() == 1);
    CHECK(run.comparison().size() == 2);  // "B" recorded, none kept now: missing.
}

TEST_CASE(
    "a replay connects with the recorded subprotocols, headers and Origin, unless given "
    "its own",
    "[replay-run]") {
    RecordedConnection request;
    request.subprotocols = {"chat"};
    request.headers = {{"Host", "h"}, {"X-Token", "1"}, {"origin", "http://o"}};
    std::vector<std::string> skipped;
    SECTION("none given: the recorded ones, less what the handshake owns, which is named") {
        const ConnectOptions options = replayOptions(request, ConnectOptions{}, skipped);
        CHECK(options.subprotocols == std::vector<std::string>{"chat"});
        REQUIRE(options.headers.size() == 1);
        CHECK(options.headers[0].name == "X-Token");
        CHECK(options.origin == "http://o");
        CHECK(skipped == std::vector<std::string>{"Host"});
    }
    SECTION("given ones win") {
        ConnectOptions base;
        base.subprotocols = {"mine"};
        base.origin = "http://mine";
        const ConnectOptions options = replayOptions(request, base, skipped);
        CHECK(options.subprotocols == std::vector<std::string>{"mine"});
        CHECK(options.headers.empty());
        CHECK(options.origin == "http://mine");
        CHECK(skipped.empty());
    }
}
