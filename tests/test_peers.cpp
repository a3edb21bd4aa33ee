// The channel and the echo server against python3-websockets, a peer nobody here wrote.
#include <catch2/catch.hpp>

#include <string>

#include "support/channel_probe.h"
#include "support/scripted_server.h"
#include "support/subprocess.h"
#include "wsdemo/echo_server.h"

using namespace wsdemo;
using namespace std::chrono_literals;
using test::ChannelProbe;
using test::ScriptedServer;
using test::Subprocess;

namespace {

MessagePtr nextMessage(ChannelProbe& probe) {
    const std::size_t count = probe.messages().size();
    REQUIRE(probe.waitForMessages(count + 1));
    return probe.messages().at(count);
}

}  // namespace

TEST_CASE("the channel against a python-websockets server", "[channel][peer]") {
    ScriptedServer server;
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    Channel& channel = probe.channel();

    SECTION("text, UTF-8 and binary echo") {
        channel.send("h\xc3\xa9llo \xf0\x9f\x8e\x89");
        CHECK(nextMessage(probe)->data == "h\xc3\xa9llo \xf0\x9f\x8e\x89");
        channel.sendBinary(std::string("\x00\xff\x10", 3));
        const MessagePtr binary = nextMessage(probe);
        CHECK(binary->type == Message::Type::kBinary);
        CHECK(binary->data == std::string("\x00\xff\x10", 3));
    }
    SECTION("a text message in fragments is published once, whole") {
        channel.send(R"(!{"op":"fragments","parts":["Hel","lo, ","","world"]})");
        const MessagePtr message = nextMessage(probe);
        CHECK(message->type == Message::Type::kText);
        CHECK(message->data == "Hello, world");
        channel.send("after");
        CHECK(nextMessage(probe)->data == "after");
        CHECK(probe.messages().size() == 2);
    }
    SECTION("a binary message in fragments") {
        channel.send(R"(!{"op":"fragments","parts":["00","ff10",""],"binary":true})");
        const MessagePtr message = nextMessage(probe);
        CHECK(message->type == Message::Type::kBinary);
        CHECK(message->data == std::string("\x00\xff\x10", 3));
    }
    SECTION("a 3 MiB message the peer sends at once") {
        channel.send(R"(!{"op":"big","size":3145728})");
        const MessagePtr message = nextMessage(probe);
        REQUIRE(message->data.size() == 3145728);
        CHECK(message->data.compare(0, 20, "01234567890123456789") == 0);
        CHECK(message->data.back() == '7');
    }
    SECTION("a burst arrives complete and in order") {
        channel.send(R"(!{"op":"burst","count":3000,"prefix":"m"})");
        REQUIRE(probe.waitForMessages(3000));
        const auto messages = probe.messages();
        for (int i = 0; i < 3000; ++i) REQUIRE(messages[i]->data == "m" + std::to_string(i));
    }
    SECTION("the peer closes with a code and reason") {
        channel.send(R"(!{"op":"close","code":4000,"reason":"bye"})");
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == 4000);
        CHECK(probe.closedStatus().closeReason == "bye");
        CHECK(probe.closedStatus().closedBy == CloseInitiator::kServer);
        CHECK(probe.closedStatus().error.empty());
    }
    SECTION("the peer closes without a status code") {
        channel.send(R"(!{"op":"close_no_status"})");
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kNoStatus);
        CHECK(probe.closedStatus().closedBy == CloseInitiator::kServer);
    }
    SECTION("the peer drops the connection") {
        channel.send(R"(!{"op":"abort"})");
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == CloseCode::kAbnormal);
        CHECK(probe.closedStatus().closedBy == CloseInitiator::kNone);
        CHECK_THAT(probe.closedStatus().error, Catch::Contains("without a close frame"));
    }
    SECTION("we close after a message: it goes first, the peer answers with our code") {
        channel.send("one");
        channel.disconnect(4321, "we are done");
        REQUIRE(probe.waitForClosed());
        // python-websockets answers a close frame with its code and reason.
        CHECK(probe.closedStatus().closeCode == 4321);
        CHECK(probe.closedStatus().closeReason == "we are done");
        CHECK(probe.closedStatus().closedBy == CloseInitiator::kClient);
        CHECK(probe.closedStatus().error.empty());
        // Its echo may lose the race with the server's close frame; its sending may not.
        const auto sent = probe.of<MessageSent>();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].message->data == "one");
    }
}

TEST_CASE("an HTTP answer instead of the upgrade is reported with its status", "[channel][peer]") {
    ScriptedServer server;
    ChannelProbe probe(server.url() + "status/403");
    REQUIRE(probe.waitForClosed());
    CHECK(probe.closedStatus().closeCode == 0);
    CHECK(probe.closedStatus().failure == FailureStage::kHttp);
    CHECK_THAT(probe.closedStatus().error,
               Catch::EndsWith("the server answered HTTP 403 instead of 101 Switching Protocols"));
}

TEST_CASE("the echo server against a python-websockets client", "[echo_server][peer]") {
    EchoServer server;
    Subprocess client({WSDEMO_PYTHON, WSDEMO_PEERS_DIR "/echo_client_check.py", server.url()});
    std::string report;
    while (const auto line = client.readLine(60s)) report += *line + "\n";
    const auto status = client.wait(10s);
    INFO(report);
    REQUIRE(status);
    CHECK(*status == 0);
}
