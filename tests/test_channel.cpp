#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "support/channel_probe.h"
#include "support/sockets.h"
#include "wsdemo/channel.h"
#include "wsdemo/echo_server.h"

using namespace wsdemo;
using test::ChannelProbe;
using namespace std::chrono_literals;

namespace {

std::string pattern(std::size_t size) {
    std::string text(size, '\0');
    for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    return text;
}

void requireEcho(ChannelProbe& probe, Message::Type type, const std::string& data) {
    const std::size_t before = probe.messages().size();
    REQUIRE(probe.waitForMessages(before + 1));
    const MessagePtr echoed = probe.messages().at(before);
    CHECK(echoed->type == type);
    CHECK(echoed->data.size() == data.size());
    CHECK(echoed->data == data);
}

}  // namespace

TEST_CASE("a channel exchanges messages with the echo server", "[channel]") {
    EchoServer server;
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    CHECK(probe.channel().status().state == ReadyState::kOpen);
    CHECK(probe.events().front().kind == ChannelEvent::Kind::kOpened);

    SECTION("ASCII, multi-byte UTF-8 and empty text") {
        for (const std::string text :
             {"Hello!", "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x8e\x89", ""}) {
            REQUIRE(probe.channel().send(text) == SendResult::kQueued);
            requireEcho(probe, Message::Type::kText, text);
        }
    }
    SECTION("binary with every byte value") {
        std::string bytes;
        for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
        REQUIRE(probe.channel().sendBinary(bytes) == SendResult::kQueued);
        requireEcho(probe, Message::Type::kBinary, bytes);
    }
    SECTION("many messages arrive in order") {
        constexpr int kCount = 2000;
        for (int i = 0; i < kCount; ++i)
            REQUIRE(probe.channel().send("message " + std::to_string(i)) == SendResult::kQueued);
        REQUIRE(probe.waitForMessages(kCount));
        const auto messages = probe.messages();
        REQUIRE(messages.size() == kCount);
        for (int i = 0; i < kCount; ++i)
            REQUIRE(messages[i]->data == "message " + std::to_string(i));
        CHECK(probe.channel().latest()->data == "message " + std::to_string(kCount - 1));
    }
    SECTION("a 1 MiB message arrives whole") {
        const std::string big = pattern(1u << 20);
        REQUIRE(probe.channel().send(big) == SendResult::kQueued);
        requireEcho(probe, Message::Type::kText, big);
        CHECK(probe.channel().latest()->data.size() == big.size());
    }
    SECTION("closing with a code and reason") {
        probe.channel().close(4001, "done here");
        REQUIRE(probe.waitForClosed());
        const ChannelStatus& status = probe.closedStatus();
        CHECK(status.closeCode == 4001);
        CHECK(status.closeReason == "done here");
        CHECK(status.error.empty());
        CHECK(probe.channel().send("too late") == SendResult::kClosed);
    }
    SECTION("the server going away") {
        server.stop();
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kGoingAway);
        CHECK(probe.closedStatus().closeReason == "server shutting down");
    }
}

TEST_CASE("the state moves from connecting to open to closed", "[channel]") {
    EchoServer server;
    ChannelProbe probe(server.url());
    CHECK(probe.channel().status().state != ReadyState::kClosed);
    REQUIRE(probe.waitForOpen());
    CHECK(probe.channel().status().state == ReadyState::kOpen);
    probe.channel().close();
    const auto state = probe.channel().status().state;
    CHECK((state == ReadyState::kOpen || state == ReadyState::kClosing ||
           state == ReadyState::kClosed));
    REQUIRE(probe.waitForClosed());
    CHECK(probe.channel().status().state == ReadyState::kClosed);
    CHECK(probe.closedStatus().closeCode == CloseCode::kNormal);
}

TEST_CASE("messages sent while connecting are written once open, in order", "[channel]") {
    EchoServer server;
    ChannelProbe probe(server.url());
    for (int i = 0; i < 10; ++i)
        REQUIRE(probe.channel().send(std::to_string(i)) == SendResult::kQueued);
    probe.channel().close();
    REQUIRE(probe.waitForClosed());
    // close() lets the queued messages go first; the server may answer the close before it
    // has echoed them all, but what does come back is in order.
    CHECK(probe.closedStatus().closeCode == CloseCode::kNormal);
    const auto messages = probe.messages();
    for (std::size_t i = 0; i < messages.size(); ++i) CHECK(messages[i]->data == std::to_string(i));
}

TEST_CASE("closing while connecting with nothing queued ends at once", "[channel]") {
    test::SilentListener silent;
    ChannelProbe probe("ws://127.0.0.1:" + std::to_string(silent.port()) + "/");
    probe.channel().close();
    REQUIRE(probe.waitForClosed(1s));
    CHECK(probe.closedStatus().closeCode == 0);
    CHECK_THAT(probe.closedStatus().error,
               Catch::Contains("before the connection was established"));
}

TEST_CASE("a consumer that does not drain slows the peer down and loses nothing", "[channel]") {
    EchoServer server;
    ChannelOptions options;
    options.maxQueuedEvents = 8;
    ChannelProbe probe(server.url(), options);
    REQUIRE(probe.waitForOpen());
    constexpr int kCount = 500;
    for (int i = 0; i < kCount; ++i) probe.channel().send(std::to_string(i));
    REQUIRE(probe.waitForMessages(kCount));
    const auto messages = probe.messages();
    for (int i = 0; i < kCount; ++i) REQUIRE(messages[i]->data == std::to_string(i));
}

TEST_CASE("the event queue stops at its high-water mark until drained", "[channel]") {
    EchoServer server;
    ChannelOptions options;
    options.maxQueuedEvents = 8;
    Channel channel(std::get<WsUrl>(parseWsUrl(server.url())), options);
    for (int i = 0; i < 1000; ++i) channel.send(std::to_string(i));

    // Without draining, the only sign of progress is the latest-message slot: watch it (with a
    // deadline) until it holds the message that fills the queue, then drain.
    const auto waitForLatest = [&](const std::string& data) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            const MessagePtr latest = channel.latest();
            if (latest && latest->data == data) return true;
            std::this_thread::yield();
        }
        return false;
    };
    int next = 0;
    int last = 6;  // The opened event and messages 0 to 6 fill the first 8 places.
    for (int round = 0; round < 5; ++round, last += 8) {
        REQUIRE(waitForLatest(std::to_string(last)));
        const auto events = channel.drainEvents();
        // Exactly at the mark: reading stopped with the publication that reached it. Were it
        // not, the 993 echoes still to come would be arriving by now.
        REQUIRE(events.size() == 8);
        for (const auto& event : events)
            if (event.kind == ChannelEvent::Kind::kMessage)
                REQUIRE(event.message->data == std::to_string(next++));
    }
}

TEST_CASE("send refuses what it cannot deliver", "[channel]") {
    EchoServer server;
    ChannelOptions options;
    options.maxMessageBytes = 1000;
    ChannelProbe probe(server.url(), options);
    CHECK(probe.channel().send(std::string(1001, 'x')) == SendResult::kTooLarge);
    CHECK(probe.channel().send("\xc3\x28") == SendResult::kInvalidUtf8);
    CHECK(probe.channel().sendBinary("\xc3\x28") == SendResult::kQueued);
    CHECK_THROWS_AS(probe.channel().close(1005), std::invalid_argument);
    CHECK_THROWS_AS(probe.channel().close(1000, std::string(124, 'r')), std::invalid_argument);
}

TEST_CASE("a message over the peer's limit closes the connection with 1009", "[channel]") {
    EchoServerOptions serverOptions;
    serverOptions.maxMessageBytes = 1000;
    EchoServer server(serverOptions);
    ChannelProbe probe(server.url());
    REQUIRE(probe.channel().send(std::string(1001, 'x')) == SendResult::kQueued);
    REQUIRE(probe.waitForClosed());
    CHECK(probe.closedStatus().closeCode == CloseCode::kMessageTooBig);
    CHECK(probe.messages().empty());
}

TEST_CASE("connection failures end in a closed state with a clear error", "[channel]") {
    SECTION("refused") {
        ChannelProbe probe("ws://127.0.0.1:" + std::to_string(test::unusedPort()) + "/");
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == 0);
        CHECK_THAT(probe.closedStatus().error,
                   Catch::StartsWith("cannot connect to ws://127.0.0.1:"));
    }
    SECTION("no handshake answer within the connect timeout") {
        test::SilentListener silent;
        ChannelOptions options;
        options.connectTimeout = 500ms;
        ChannelProbe probe("ws://127.0.0.1:" + std::to_string(silent.port()) + "/", options);
        REQUIRE(probe.waitForClosed(5s));
        CHECK_THAT(probe.closedStatus().error,
                   Catch::Contains("no WebSocket handshake within 0.5 s"));
    }
}

TEST_CASE("a channel can be closed or destroyed at any moment without hanging", "[channel]") {
    test::SilentListener silent;
    const std::string url = "ws://127.0.0.1:" + std::to_string(silent.port()) + "/";
    SECTION("destroyed during the handshake") {
        const auto start = std::chrono::steady_clock::now();
        { ChannelProbe probe(url); }
        CHECK(std::chrono::steady_clock::now() - start < 1s);
    }
    SECTION("destroyed while a 16 MiB message is being written") {
        EchoServer server;
        std::optional<ChannelProbe> probe(std::in_place, server.url());
        REQUIRE(probe->waitForOpen());
        probe->channel().send(pattern(16u << 20));
        const auto start = std::chrono::steady_clock::now();
        probe.reset();
        CHECK(std::chrono::steady_clock::now() - start < 1s);
    }
}

TEST_CASE("closing during a 16 MiB transfer lets the message go first", "[channel]") {
    EchoServer server;
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    const std::string big = pattern(16u << 20);
    REQUIRE(probe.channel().send(big) == SendResult::kQueued);
    probe.channel().close(CloseCode::kNormal, "after the big one");
    CHECK(probe.channel().send("too late") == SendResult::kClosed);
    REQUIRE(probe.waitForClosed(20s));
    CHECK(probe.closedStatus().closeCode == CloseCode::kNormal);
    CHECK(probe.closedStatus().error.empty());
}
