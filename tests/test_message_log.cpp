// The message log's ring: one row per channel event, bounded by rows and by bytes.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "message_log.h"
#include "status_text.h"
#include "support/messages.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::binaryMessage;
using wsdemo::test::textMessage;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point kNoon{};

ChannelEvent received(MessagePtr message) {
    return {{}, 1, MessageReceived{std::move(message)}};
}

LogLimits logLimits(std::size_t rows, std::size_t bytes) {
    LogLimits result;
    result.maxRows = rows;
    result.maxBytes = bytes;
    return result;
}

}  // namespace

TEST_CASE("each channel event becomes one row with its direction, type and line", "[log]") {
    MessageLog log;
    const MessagePtr in = textMessage("hello");
    const MessagePtr out = binaryMessage(std::string("\x00\x01\xff", 3));
    ChannelStatus connecting;
    connecting.state = ReadyState::kConnecting;
    connecting.stage = ConnectStage::kTls;
    connecting.url = "wss://example.org/";
    PongReceived pong{"p1", 1500us};
    ReconnectScheduled reconnect{2, 1300ms};

    log.add(received(in), kNoon);
    log.add({{}, 1, MessageSent{out}}, kNoon + 1ms);
    log.add({{}, 1, StateChanged{connecting}}, kNoon);
    log.add({{}, 1, PingSent{"abc", true}}, kNoon);
    log.add({{}, 1, PingSent{"", false}}, kNoon);
    log.add({{}, 1, pong}, kNoon);
    log.add({{}, 1, PongSent{""}}, kNoon);
    log.add({{}, 1, reconnect}, kNoon);
    REQUIRE(log.size() == 8);

    const LogEntry& first = log.entry(0);
    CHECK(first.seq == 0);
    CHECK(first.kind == LogKind::kMessage);
    CHECK(first.direction == LogDirection::kIn);
    CHECK(first.type == LogType::kText);
    CHECK(first.size == 5);
    CHECK(first.message == in);  // The same message, shared, not a copy.
    CHECK(first.summary() == "hello");

    const LogEntry& sent = log.entry(1);
    CHECK(sent.direction == LogDirection::kOut);
    CHECK(sent.type == LogType::kBinary);
    CHECK(sent.wallTime == kNoon + 1ms);
    CHECK(sent.summary() == "00 01 ff");

    CHECK(log.entry(2).direction == LogDirection::kNone);
    CHECK(log.entry(2).type == LogType::kEvent);
    CHECK(log.entry(2).summary() == describeStatus(connecting));
    CHECK(log.entry(2).summary().find("Connecting (TLS handshake)") == 0);
    CHECK(log.entry(3).direction == LogDirection::kOut);
    CHECK(log.entry(3).summary() == "keepalive ping 'abc'");
    CHECK(log.entry(3).size == 3);
    CHECK(log.entry(4).summary() == "ping");
    CHECK(log.entry(5).direction == LogDirection::kIn);
    CHECK(log.entry(5).summary() == describePong(pong) + " 'p1'");
    CHECK(log.entry(6).summary() == "pong");
    CHECK(log.entry(7).summary() == describeReconnect(reconnect));
    CHECK(log.entry(7).seq == 7);
    CHECK(log.heldBytes() == 5 + 3);  // Message data only.
}

TEST_CASE("a row is marked timed only when added as a timed send", "[log]") {
    MessageLog log;
    log.add({{}, 1, MessageSent{textMessage("tick")}}, kNoon, /*timed=*/true);
    log.add({{}, 1, MessageSent{textMessage("typed")}}, kNoon);
    log.add(received(textMessage("tick")), kNoon);
    REQUIRE(log.size() == 3);
    CHECK(log.entry(0).timed);
    CHECK_FALSE(log.entry(1).timed);
    CHECK_FALSE(log.entry(2).timed);
}

TEST_CASE("a summary is one bounded line that never ends in half a character", "[log]") {
    MessageLog log;
    SECTION("the first line of a text, and ' ...' for the rest") {
        log.add(received(textMessage("first line\r\nsecond")), kNoon);
        CHECK(log.entry(0).summary() == "first line ...");
    }
    SECTION("a long line is cut before the character that would cross the bound") {
        std::string euros;
        for (int i = 0; i < 40; ++i) euros += "\xe2\x82\xac";  // 3 bytes each: 96 is mid-euro
        log.add(received(textMessage("ab" + euros)), kNoon);   // from the 2 bytes before.
        const std::string summary = log.entry(0).summary();
        CHECK(summary == "ab" + euros.substr(0, 93) + " ...");
        CHECK(isValidUtf8(summary));
    }
    SECTION("a binary message shows its first 16 bytes in hex") {
        log.add(received(binaryMessage(std::string(20, '\x0a'))), kNoon);
        CHECK(log.entry(0).summary() == "0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a ...");
    }
}

TEST_CASE("the ring drops its oldest rows past the row limit and counts them", "[log]") {
    MessageLog log(logLimits(3, 1000));
    for (int i = 0; i < 5; ++i) log.add(received(textMessage(std::to_string(i))), kNoon);
    CHECK(log.size() == 3);
    CHECK(log.droppedRows() == 2);
    CHECK(log.entry(0).seq == 2);
    CHECK(log.entry(0).summary() == "2");
    CHECK(log.heldBytes() == 3);
    CHECK(log.findBySeq(1) == nullptr);
    REQUIRE(log.findBySeq(4) != nullptr);
    CHECK(log.findBySeq(4)->summary() == "4");
    CHECK(log.findBySeq(5) == nullptr);
    CHECK(log.nextSeq() == 5);
}

TEST_CASE("the ring drops its oldest rows past the byte limit", "[log]") {
    MessageLog log(logLimits(100, 10));
    for (int i = 0; i < 4; ++i) log.add(received(textMessage("abcd")), kNoon);
    CHECK(log.size() == 2);
    CHECK(log.heldBytes() == 8);
    CHECK(log.droppedRows() == 2);

    SECTION("event rows hold no message data and do not count") {
        log.add({{}, 1, PingSent{"0123456789", false}}, kNoon);
        CHECK(log.size() == 3);
        CHECK(log.heldBytes() == 8);
    }
    SECTION("a message larger than the whole limit stays alone until the next row") {
        const MessagePtr big = textMessage(std::string(50, 'x'));
        log.add(received(big), kNoon);
        CHECK(log.size() == 1);
        CHECK(log.entry(0).message == big);
        CHECK(log.heldBytes() == 50);
        CHECK(log.droppedRows() == 4);
        log.add(received(textMessage("abcd")), kNoon);
        CHECK(log.size() == 1);
        CHECK(log.heldBytes() == 4);
        CHECK(log.droppedRows() == 5);
    }
}

TEST_CASE("new limits apply at once, clear empties the log and its counts", "[log]") {
    MessageLog log(logLimits(10, 1000));
    for (int i = 0; i < 6; ++i) log.add(received(textMessage("12345")), kNoon);
    log.setLimits(logLimits(4, 12));
    CHECK(log.size() == 2);
    CHECK(log.heldBytes() == 10);
    CHECK(log.droppedRows() == 4);
    CHECK(log.limits().maxRows == 4);

    log.clear();
    CHECK(log.size() == 0);
    CHECK(log.heldBytes() == 0);
    CHECK(log.droppedRows() == 0);
    log.add(received(textMessage("again")), kNoon);
    CHECK(log.entry(0).seq == 6);  // Seqs go on: a selection never names a new row.
}

TEST_CASE("a full ring of 10,000 rows holds its messages once and little else", "[log]") {
    static_assert(sizeof(LogEntry) <= 48, "the 200 bytes a row may cost include the Message");
    MessageLog log;  // The defaults: 10,000 rows, 256 MiB.
    const MessagePtr message = textMessage(std::string(1024, 'm'));
    for (int i = 0; i < 12000; ++i) log.add(received(message), kNoon);
    CHECK(log.size() == 10000);
    CHECK(log.droppedRows() == 2000);
    CHECK(log.heldBytes() == 10000u * 1024u);
    CHECK(message.use_count() == 1 + 10000);  // Shared by each row, never copied.
}
