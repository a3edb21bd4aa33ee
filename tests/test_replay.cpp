#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "support/messages.h"
#include "support/recorded_events.h"
#include "wsdemo/replay.h"

using namespace wsdemo;
using wsdemo::test::binaryMessage;
using wsdemo::test::recordedMessage;
using wsdemo::test::textMessage;
using namespace std::chrono_literals;

namespace {

WallClock::time_point at(std::chrono::microseconds offset) {
    return WallClock::time_point(std::chrono::seconds(1764370000)) + offset;
}

RecordedEvent open(std::chrono::microseconds time, uint64_t connection, std::string url) {
    RecordedEvent event = test::recordedEvent(at(time), connection, RecordedKind::kOpen);
    event.opened = std::make_shared<const RecordedConnection>(
        RecordedConnection{std::move(url), {{"Origin", "http://o"}}, {"chat"}, "chat", ""});
    return event;
}

constexpr auto kSend = RecordedDirection::kSend;
constexpr auto kReceive = RecordedDirection::kReceive;

std::vector<MessagePtr> texts(std::initializer_list<const char*> items) {
    std::vector<MessagePtr> messages;
    for (const char* item : items) messages.push_back(textMessage(item));
    return messages;
}

// "s", "d", "m", "e" for each verdict, with the recorded and current texts.
std::string verdicts(const std::vector<ComparedReply>& comparison) {
    std::string result;
    for (const ComparedReply& reply : comparison) {
        result += toString(reply.verdict)[0];
        result += "(" + (reply.recorded ? reply.recorded->data : "-") + "," +
                  (reply.now ? reply.now->data : "-") + ") ";
    }
    return result;
}

}  // namespace

TEST_CASE("A replay script is a connection's sends and replies", "[replay]") {
    const MessagePtr first = textMessage("first"), second = binaryMessage("\x01\x02"),
                     reply = textMessage("reply");
    const std::vector<RecordedEvent> events = {
        open(0us, 1, "ws://a/"),
        recordedMessage(at(1000us), 1, kReceive, textMessage("welcome")),
        open(5000000us, 2, "ws://b/"),
        recordedMessage(at(5000100us), 2, kReceive, textMessage("hello")),
        recordedMessage(at(5250000us), 2, kSend, first),
        recordedMessage(at(5300000us), 2, kReceive, reply),
        recordedMessage(at(6000000us), 2, kSend, second),
        recordedMessage(at(7000000us), 3, kSend, textMessage("third connection")),
    };
    SECTION("the first connection that sent anything") {
        const auto script = replayScript(events);
        REQUIRE(script);
        CHECK(script->connection == 2);
        CHECK(script->request.url == "ws://b/");
        CHECK(script->request.subprotocols == std::vector<std::string>{"chat"});
        REQUIRE(script->sends.size() == 2);
        CHECK(script->sends[0].message == first);
        CHECK(script->sends[0].at == 250000us);
        CHECK(script->sends[1].message == second);
        CHECK(script->sends[1].at == 1000000us);
        CHECK(script->replies.size() == 2);
        CHECK(script->replies[1] == reply);
    }
    SECTION("a connection asked for, timed from its first event when it has no open") {
        const auto script = replayScript(events, 3);
        REQUIRE(script);
        CHECK(script->request.url.empty());
        REQUIRE(script->sends.size() == 1);
        CHECK(script->sends[0].at == 0us);
    }
    SECTION("nothing to replay") {
        CHECK_FALSE(replayScript(events, 1));  // It sent nothing.
        CHECK_FALSE(replayScript(events, 9));  // No such connection.
        CHECK_FALSE(replayScript({events[0], events[1]}));
        CHECK_FALSE(replayScript({}));
    }
}

TEST_CASE("Replay paces are read with a reason for what is refused", "[replay]") {
    const auto pace = [](std::string_view text) {
        auto parsed = parsePace(text);
        REQUIRE(std::holds_alternative<ReplayPace>(parsed));
        return std::get<ReplayPace>(parsed);
    };
    CHECK(pace("recorded").kind == ReplayPace::Kind::kRecorded);
    CHECK(pace("fast").kind == ReplayPace::Kind::kFast);
    for (const auto& [text, factor] : std::vector<std::pair<const char*, double>>{{"10", 10.0},
                                                                                  {"0.5", 0.5},
                                                                                  {"10x", 10.0},
                                                                                  {"2.5X", 2.5},
                                                                                  {"0.01", 0.01},
                                                                                  {"1000", 1000.0},
                                                                                  {".5", 0.5}}) {
        INFO(text);
        CHECK(pace(text).kind == ReplayPace::Kind::kScaled);
        CHECK(pace(text).factor == Approx(factor));
    }
    const auto refusal = [](std::string_view text) {
        auto parsed = parsePace(text);
        REQUIRE(std::holds_alternative<std::string>(parsed));
        return std::get<std::string>(parsed);
    };
    for (const char* bad :
         {"", "slow", "x", "-2", "1e3", "inf", "nan", "0x10", " 5", "5 ", "1.2.3", ".", "Fast"}) {
        INFO(bad);
        CHECK(refusal(bad).rfind("the pace must be recorded, fast or a factor such as 10 or "
                                 "0.5, not '",
                                 0) == 0);
    }
    CHECK(refusal("slow") ==
          "the pace must be recorded, fast or a factor such as 10 or 0.5, not 'slow'");
    CHECK(refusal("0.001") == "the pace factor must be from 0.01 to 1000, not '0.001'");
    CHECK(refusal("1001x") == "the pace factor must be from 0.01 to 1000, not '1001x'");
    CHECK(refusal("0") == "the pace factor must be from 0.01 to 1000, not '0'");
}

TEST_CASE("Each step is due at the recorded time, scaled, or at once", "[replay]") {
    ReplayScript script;
    script.sends = {
        {0us, textMessage("a")}, {1500000us, textMessage("b")}, {3000001us, textMessage("c")}};
    const ReplayPace recorded{ReplayPace::Kind::kRecorded, 1.0};
    const ReplayPace fast{ReplayPace::Kind::kFast, 1.0};
    const ReplayPace tenTimes{ReplayPace::Kind::kScaled, 10.0};
    const ReplayPace half{ReplayPace::Kind::kScaled, 0.5};
    CHECK(dueAt(script, 1, recorded) == 1500000us);
    CHECK(dueAt(script, 2, recorded) == 3000001us);
    CHECK(dueAt(script, 2, fast) == 0us);
    CHECK(dueAt(script, 1, tenTimes) == 150000us);
    CHECK(dueAt(script, 2, tenTimes) == 300000us);
    CHECK(dueAt(script, 1, half) == 3000000us);
    CHECK(dueAt(script, 0, half) == 0us);
}

TEST_CASE("Replies are compared as diff would", "[replay]") {
    SECTION("the same") {
        const auto comparison = compareReplies(texts({"a", "b"}), texts({"a", "b"}));
        CHECK(verdicts(comparison) == "s(a,a) s(b,b) ");
        CHECK(allSame(comparison));
        CHECK(allSame({}));
    }
    SECTION("one different") {
        const auto comparison = compareReplies(texts({"a", "b", "c"}), texts({"a", "B", "c"}));
        CHECK(verdicts(comparison) == "s(a,a) d(b,B) s(c,c) ");
        CHECK_FALSE(allSame(comparison));
    }
    SECTION("missing and extra at the end") {
        CHECK(verdicts(compareReplies(texts({"a", "b"}), texts({"a"}))) == "s(a,a) m(b,-) ");
        CHECK(verdicts(compareReplies(texts({"a"}), texts({"a", "b"}))) == "s(a,a) e(-,b) ");
        CHECK(verdicts(compareReplies({}, texts({"x"}))) == "e(-,x) ");
    }
    SECTION("an insertion in the middle shifts nothing after it") {
        CHECK(verdicts(compareReplies(texts({"a", "b", "c", "d"}),
                                      texts({"a", "b", "new", "c", "d"}))) ==
              "s(a,a) s(b,b) e(-,new) s(c,c) s(d,d) ");
        CHECK(verdicts(compareReplies(texts({"a", "gone", "b"}), texts({"a", "b"}))) ==
              "s(a,a) m(gone,-) s(b,b) ");
        CHECK(verdicts(compareReplies(texts({"a", "x", "y", "b"}), texts({"a", "X", "b"}))) ==
              "s(a,a) d(x,X) m(y,-) s(b,b) ");
    }
    SECTION("text and binary with the same bytes differ") {
        CHECK(verdicts(compareReplies({textMessage("1")}, {binaryMessage("1")})) == "d(1,1) ");
    }
    SECTION("past the alignment bound, by position") {
        std::vector<MessagePtr> recorded;
        for (std::size_t i = 0; i < kMaxAlignedReplies + 5; ++i)
            recorded.push_back(textMessage(std::to_string(i)));
        std::vector<MessagePtr> now = recorded;
        now.insert(now.begin() + 1, textMessage("inside"));
        // Inside the bound the insertion is aligned; past it, everything is one off.
        const auto comparison = compareReplies(recorded, now);
        REQUIRE(comparison.size() == kMaxAlignedReplies + 7);
        CHECK(verdicts({comparison.begin(), comparison.begin() + 3}) ==
              "s(0,0) e(-,inside) s(1,1) ");
        CHECK(verdicts({comparison.end() - 7, comparison.end()}) ==
              "m(1999,-) d(2000,1999) d(2001,2000) d(2002,2001) d(2003,2002) d(2004,2003) "
              "e(-,2004) ");
    }
}

TEST_CASE("The comparison is described one line per reply", "[replay]") {
    const std::string longText = std::string(199, 'a') + "\xc3\xa9" + "tail";
    const std::vector<ComparedReply> comparison = {
        {ReplyVerdict::kSame, textMessage("hi"), textMessage("hi")},
        {ReplyVerdict::kDifferent, textMessage("two\nlines\r\n"), binaryMessage("\x01\xff")},
        {ReplyVerdict::kMissing, textMessage(longText), nullptr},
        {ReplyVerdict::kExtra, nullptr, binaryMessage(std::string(201, '\x02'))},
        {ReplyVerdict::kExtra, nullptr, binaryMessage("")},
    };
    const auto lines = describeComparison(comparison);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "same: hi");
    CHECK(lines[1] == R"(different: recorded two\nlines\r\n | now [binary 2 bytes] 01ff)");
    CHECK(lines[2] == "missing: recorded " + std::string(199, 'a') + "...");
    std::string hex;
    for (int i = 0; i < 200; ++i) hex += "02";
    CHECK(lines[3] == "extra: now [binary 201 bytes] " + hex + "...");
    CHECK(lines[4] == "extra: now [binary 0 bytes]");
    CHECK(lines[5] == "replay: 1 same, 1 different, 1 missing, 2 extra");
}
