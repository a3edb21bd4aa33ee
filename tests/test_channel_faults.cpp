// The fault suite: the channel against a python-websockets peer that breaks the rules on
// purpose (tests/peers/scripted_server.py, frames written byte by byte where needed).
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "support/channel_probe.h"
#include "support/raw_frames.h"
#include "support/scripted_server.h"
#include "support/sockets.h"

using namespace wsdemo;
using namespace wsdemo::test;
using namespace std::chrono_literals;

namespace {

// Opens a channel, has the peer write `bytes`, and waits for the end of the connection.
ChannelStatus closedAfter(const std::string& bytes, ChannelProbe* probe) {
    REQUIRE(probe->waitForOpen());
    probe->channel().send(rawCommand(bytes));
    REQUIRE(probe->waitForClosed());
    return probe->closedStatus();
}

// Where the first event that satisfies `is` is in the probe's events; events().size() if none.
template <class Predicate>
std::size_t indexOf(const ChannelProbe& probe, Predicate is) {
    const auto& events = probe.events();
    return static_cast<std::size_t>(std::find_if(events.begin(), events.end(), is) -
                                    events.begin());
}

bool isMessage(const ChannelEvent& event) {
    return std::holds_alternative<MessageReceived>(event.what);
}

// The first sign of the end: closing or closed.
bool isEnd(const ChannelEvent& event) {
    const auto* changed = std::get_if<StateChanged>(&event.what);
    return changed && (changed->status.state == ReadyState::kClosing ||
                       changed->status.state == ReadyState::kClosed);
}

// The time of the first StateChanged to `state`; fails the test if there is none.
SteadyClock::time_point timeOf(const ChannelProbe& probe, ReadyState state) {
    for (const auto& event : probe.events())
        if (const auto* changed = std::get_if<StateChanged>(&event.what))
            if (changed->status.state == state) return event.at;
    FAIL("no StateChanged to " << toString(state));
    return {};
}

}  // namespace

TEST_CASE("every message size arrives exactly once, whole, with its type", "[channel][fault]") {
    ScriptedServer server;
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    const std::vector<std::size_t> sizes{0, 125, 126, 65535, 65536, 1u << 20, 16u << 20};
    for (std::size_t size : sizes) {
        std::string data(size, '\0');
        for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>('A' + i % 23);
        REQUIRE(probe.channel().send(data) == SendResult::kQueued);
        REQUIRE(probe.channel().sendBinary(data) == SendResult::kQueued);
    }
    REQUIRE(probe.waitForMessages(sizes.size() * 2, 60s));
    const auto messages = probe.messages();
    REQUIRE(messages.size() == sizes.size() * 2);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        INFO("message " << i);
        CHECK(messages[i]->type == (i % 2 ? Message::Type::kBinary : Message::Type::kText));
        REQUIRE(messages[i]->data.size() == sizes[i / 2]);
        for (std::size_t k = 0; k < messages[i]->data.size(); ++k)
            if (messages[i]->data[k] != static_cast<char>('A' + k % 23)) FAIL("byte " << k);
    }
}

TEST_CASE("fragmentation of any shape yields one whole message", "[channel][fault]") {
    ScriptedServer server;
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    SECTION("1-byte fragments") {
        probe.channel().send(R"(!{"op":"fragments","parts":["f","r","a","g","s"]})");
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data == "frags");
    }
    SECTION("an empty final fragment") {
        probe.channel().send(
            rawCommand(frame(Opcode::kText, "ab") + frame(kFin | Opcode::kContinuation, "")));
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data == "ab");
    }
    SECTION("a ping between fragments") {
        probe.channel().send(rawCommand(frame(Opcode::kBinary, "ab") +
                                        frame(kFin | Opcode::kPing, "p") +
                                        frame(kFin | Opcode::kContinuation, "cd")));
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->type == Message::Type::kBinary);
        CHECK(probe.messages()[0]->data == "abcd");
    }
    SECTION("a character split across fragments") {
        probe.channel().send(rawCommand(frame(Opcode::kText, "\xe2\x9c") +
                                        frame(kFin | Opcode::kContinuation, "\x93")));
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data == "\xe2\x9c\x93");
    }
    // Nothing partial ever reached the latest-message slot or the queue.
    CHECK(probe.messages().size() == 1);
    CHECK(probe.channel().latest() == probe.messages()[0]);
}

TEST_CASE("protocol violations fail the connection and deliver nothing", "[channel][fault]") {
    ScriptedServer server;
    struct Violation {
        const char* name;
        std::string bytes;
    };
    // lws 4.1.6 drops TCP on these: the channel reports 1006 and says a violation is a cause.
    const std::vector<Violation> dropped{
        {"reserved opcode", frame(kFin | 0x3, "x")},
        {"reserved control opcode", frame(kFin | 0xB, "x")},
        {"RSV1 without an extension", frame(kFin | kRsv1 | Opcode::kText, "x")},
        {"ping over 125 bytes", frame(kFin | Opcode::kPing, std::string(126, 'p'))},
        {"fragmented ping", frame(Opcode::kPing, "p")},
        {"continuation with nothing to continue", frame(kFin | Opcode::kContinuation, "x")},
        {"new message inside a fragmented one",
         frame(Opcode::kText, "a") + frame(kFin | Opcode::kText, "b")},
    };
    for (const auto& violation : dropped) {
        INFO(violation.name);
        ChannelProbe probe(server.url());
        const ChannelStatus status = closedAfter(violation.bytes, &probe);
        CHECK(status.closeCode == CloseCode::kAbnormal);
        CHECK_THAT(status.error, Catch::Contains("protocol violation"));
        CHECK(probe.messages().empty());
    }
}

TEST_CASE("bad close frames from the peer are answered and reported", "[channel][fault]") {
    ScriptedServer server;
    struct Case {
        const char* name;
        std::string payload;
        uint16_t code;
        const char* error;
    };
    const std::vector<Case> cases{
        {"1-byte payload", "\x03", CloseCode::kProtocolError, "1-byte payload"},
        {"code 5000", closePayload(5000), CloseCode::kProtocolError, "invalid close code 5000"},
        {"reason not UTF-8", closePayload(1000, "\xc3\x28"), CloseCode::kInvalidPayload,
         "close reason that is not valid UTF-8"},
        // lws 4.1.6 rewrites these codes to 1002 before the channel sees them.
        {"code 999", closePayload(999), CloseCode::kProtocolError, ""},
        {"code 2999", closePayload(2999), CloseCode::kProtocolError, ""},
        {"code 1005 on the wire", closePayload(1005), CloseCode::kProtocolError, ""},
        {"code 1006 on the wire", closePayload(1006), CloseCode::kProtocolError, ""},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        ChannelProbe probe(server.url());
        const ChannelStatus status = closedAfter(frame(kFin | Opcode::kClose, c.payload), &probe);
        CHECK(status.closeCode == c.code);
        CHECK_THAT(status.error, Catch::Contains(c.error));
    }
}

TEST_CASE("valid close codes and reasons are reported exactly", "[channel][fault]") {
    ScriptedServer server;
    for (const uint16_t code :
         std::vector<uint16_t>{1000, 1001, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999}) {
        INFO(code);
        ChannelProbe probe(server.url());
        const std::string reason = "r\xc3\xa9" + std::string(118, 'x');  // 123 bytes: the most.
        const ChannelStatus status =
            closedAfter(frame(kFin | Opcode::kClose, closePayload(code, reason)), &probe);
        CHECK(status.closeCode == code);
        CHECK(status.closeReason == reason);
        CHECK(status.error.empty());
    }
    SECTION("1012-1014 arrive as 1002 with their reason (lws 4.1.6)") {
        ChannelProbe probe(server.url());
        const ChannelStatus status =
            closedAfter(frame(kFin | Opcode::kClose, closePayload(1012, "restarting")), &probe);
        CHECK(status.closeCode == CloseCode::kProtocolError);
        CHECK(status.closeReason == "restarting");
    }
}

TEST_CASE("invalid UTF-8 in a text message closes with 1007", "[channel][fault]") {
    ScriptedServer server;
    for (const std::string& bytes :
         {frame(kFin | Opcode::kText, "ok \xc3\x28"),
          frame(Opcode::kText, "\xe2\x9c") + frame(kFin | Opcode::kContinuation, "\x28"),
          frame(kFin | Opcode::kText, "cut \xe2\x9c"),
          frame(kFin | Opcode::kText, "\xed\xa0\x80")}) {
        ChannelProbe probe(server.url());
        const ChannelStatus status = closedAfter(bytes, &probe);
        CHECK(status.closeCode == CloseCode::kInvalidPayload);
        CHECK_THAT(status.error, Catch::Contains("not valid UTF-8"));
        CHECK(probe.messages().empty());
    }
}

TEST_CASE("a message over the limit closes with 1009 before it is buffered", "[channel][fault]") {
    ScriptedServer server;
    ConnectOptions options;
    options.maxMessageBytes = 1000;
    SECTION("a frame header that claims 2^62 bytes") {
        options.maxMessageBytes = 64 * 1024;  // Room for the command that writes the frame.
        ChannelProbe probe(server.url(), options);
        const ChannelStatus status =
            // lws hands on a frame's payload once its 4 KiB receive buffer is full.
            closedAfter(frameHeader(kFin | Opcode::kBinary, 1ull << 62) + std::string(5000, 'd'),
                        &probe);
        CHECK(status.closeCode == CloseCode::kMessageTooBig);
        CHECK_THAT(status.error, Catch::Contains("larger than the limit of 65536 bytes"));
    }
    SECTION("fragments that add up to more than the limit") {
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        probe.channel().send(R"(!{"op":"big","size":1200,"fragment":600})");
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kMessageTooBig);
        CHECK(probe.messages().empty());
    }
    SECTION("exactly the limit is fine") {
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        probe.channel().send(R"(!{"op":"big","size":1000})");
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data.size() == 1000);
    }
}

TEST_CASE("what arrives before the end is delivered before the end is reported",
          "[channel][fault]") {
    ScriptedServer server;
    SECTION("a message then a close frame in one write") {
        ChannelProbe probe(server.url());
        const ChannelStatus status =
            closedAfter(frame(kFin | Opcode::kText, "last words") +
                            frame(kFin | Opcode::kClose, closePayload(1000, "bye")),
                        &probe);
        CHECK(status.closeCode == CloseCode::kNormal);
        REQUIRE(probe.messages().size() == 1);
        CHECK(probe.messages()[0]->data == "last words");
        CHECK(indexOf(probe, isMessage) < indexOf(probe, isEnd));
    }
    SECTION("a message then a drop") {
        ChannelProbe probe(server.url());
        REQUIRE(probe.waitForOpen());
        probe.channel().send(rawCommand(frame(kFin | Opcode::kText, "just in time"), true));
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kAbnormal);
        REQUIRE(probe.messages().size() == 1);
        CHECK(probe.messages()[0]->data == "just in time");
        CHECK(indexOf(probe, isMessage) < indexOf(probe, isEnd));
    }
    SECTION("a drop in the middle of a message: the partial message is dropped") {
        ChannelProbe probe(server.url());
        REQUIRE(probe.waitForOpen());
        probe.channel().send(
            rawCommand(frameHeader(kFin | Opcode::kText, 100) + "only half", true));
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kAbnormal);
        CHECK(probe.messages().empty());
        CHECK(probe.channel().latest() == nullptr);
    }
}

TEST_CASE("a peer that stops answering pings is dropped after the interval", "[channel][fault]") {
    ScriptedServer server;
    ConnectOptions options;
    options.pingInterval = 1s;
    ChannelProbe probe(server.url(), options);
    REQUIRE(probe.waitForOpen());
    SECTION("an answering peer stays connected past several intervals") {
        CHECK_FALSE(probe.waitForClosed(3500ms));
        // It was pinged (every half interval) and answered each time.
        const auto pings = probe.of<PingSent>();
        REQUIRE(pings.size() >= 4);
        for (const auto& ping : pings) CHECK(ping.keepalive);
        CHECK(probe.of<PongReceived>().size() >= pings.size() - 1);
        probe.channel().send("still there?");
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data == "still there?");
    }
    SECTION("a silent peer") {
        const auto silenceAsked = SteadyClock::now();
        probe.channel().send(R"(!{"op":"stop_reading"})");
        REQUIRE(probe.waitForClosed(10s));
        const auto closedAt = timeOf(probe, ReadyState::kClosed);
        // Never before a whole interval of silence (none came after the upgrade answer), and
        // not long after it: the margin is for a loaded machine.
        CHECK(closedAt - timeOf(probe, ReadyState::kOpen) >= options.pingInterval);
        CHECK(closedAt - silenceAsked < options.pingInterval + 1500ms);
        CHECK(probe.closedStatus().closeCode == CloseCode::kAbnormal);
        CHECK_THAT(probe.closedStatus().error, Catch::Contains("did not answer pings for 1.0 s"));
    }
}

TEST_CASE("a peer that never answers the close does not hold the channel up", "[channel][fault]") {
    ScriptedServer server;
    const ChannelLimits limits;  // closeTimeout: 750 ms.
    std::optional<ChannelProbe> probe(std::in_place, server.url(), ConnectOptions{}, limits);
    REQUIRE(probe->waitForOpen());
    // Once acknowledged, the server reads nothing more: our close frame will go unanswered.
    REQUIRE(askServer(*probe, R"({"op":"stop_reading","ack":true})") == "reading stopped");
    const auto start = SteadyClock::now();

    SECTION("disconnect() gives up on the handshake after the close timeout") {
        probe->channel().disconnect(CloseCode::kNormal, "bye");
        REQUIRE(probe->waitForClosed(limits.closeTimeout + 5s));
        const auto closedAt = timeOf(*probe, ReadyState::kClosed);
        CHECK(closedAt - start >= limits.closeTimeout);
        CHECK(closedAt - start < limits.closeTimeout + 1500ms);
        CHECK(probe->closedStatus().closedBy == CloseInitiator::kClient);
        CHECK(probe->closedStatus().closeCode == CloseCode::kAbnormal);
        CHECK_THAT(probe->closedStatus().error,
                   Catch::Contains("did not complete the closing handshake"));
    }
    SECTION("the destructor waits no longer than the close timeout") {
        probe.reset();  // Disconnects with 1001, waits up to closeTimeout, drops the connection.
        CHECK(SteadyClock::now() - start < limits.closeTimeout + 1500ms);
    }
}

TEST_CASE("a refused connection fails at the TCP stage with its reason", "[channel][fault]") {
    const std::string url = "ws://127.0.0.1:" + std::to_string(unusedPort()) + "/";
    ChannelProbe probe(url);
    REQUIRE(probe.waitForClosed());
    const ChannelStatus& status = probe.closedStatus();
    CHECK(status.failure == FailureStage::kTcp);
    CHECK(status.closeCode == 0);
    CHECK(status.error == "cannot connect to " + url +
                              ": the TCP connection was refused, or the host is unreachable");
    // Only kConnecting before the end: it never opened.
    const auto states = probe.states();
    for (std::size_t i = 0; i + 1 < states.size(); ++i)
        CHECK(states[i].state == ReadyState::kConnecting);
}
