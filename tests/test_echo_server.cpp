#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "support/channel_probe.h"
#include "wsdemo/echo_server.h"

using namespace wsdemo;
using test::ChannelProbe;

TEST_CASE("the echo server reports where it listens", "[echo_server]") {
    EchoServer server;
    CHECK(server.port() != 0);
    CHECK(server.url() == "ws://127.0.0.1:" + std::to_string(server.port()) + "/");
}

TEST_CASE("a taken port is reported, not ignored", "[echo_server]") {
    EchoServer first;
    EchoServerOptions options;
    options.port = first.port();
    CHECK_THROWS_WITH(EchoServer(options), Catch::Contains("cannot listen on 127.0.0.1:"));
}

TEST_CASE("each client gets its own echoes", "[echo_server]") {
    EchoServer server;
    std::vector<std::unique_ptr<ChannelProbe>> clients;
    for (int c = 0; c < 4; ++c) clients.push_back(std::make_unique<ChannelProbe>(server.url()));
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < 50; ++i)
            clients[c]->channel().send(std::to_string(c) + ":" + std::to_string(i));
    for (int c = 0; c < 4; ++c) {
        REQUIRE(clients[c]->waitForMessages(50));
        const auto messages = clients[c]->messages();
        REQUIRE(messages.size() == 50);
        for (int i = 0; i < 50; ++i)
            CHECK(messages[i]->data == std::to_string(c) + ":" + std::to_string(i));
    }
}

TEST_CASE("connections beyond the cap are refused", "[echo_server]") {
    EchoServerOptions options;
    options.maxConnections = 1;
    EchoServer server(options);
    ChannelProbe first(server.url());
    REQUIRE(first.waitForOpen());
    ChannelProbe second(server.url());
    REQUIRE(second.waitForClosed());
    CHECK(second.closedStatus().closeCode == 0);
    CHECK_FALSE(second.closedStatus().error.empty());
}

TEST_CASE("stop closes every client with 1001 and returns", "[echo_server]") {
    EchoServer server;
    ChannelProbe a(server.url()), b(server.url());
    REQUIRE(a.waitForOpen());
    REQUIRE(b.waitForOpen());
    server.stop();
    server.stop();  // Idempotent.
    for (ChannelProbe* probe : {&a, &b}) {
        REQUIRE(probe->waitForClosed());
        CHECK(probe->closedStatus().closeCode == CloseCode::kGoingAway);
    }
}

TEST_CASE("loopback addresses are told from the others", "[echo_server]") {
    for (const char* address : {"127.0.0.1", "127.1.2.3", "::1", "localhost"})
        CHECK(isLoopbackAddress(address));
    for (const char* address : {"0.0.0.0", "10.0.0.1", "192.168.1.1", "::", "example.com", ""})
        CHECK_FALSE(isLoopbackAddress(address));
}
