// The ping and stats panel, fed channel events and drawn in a headless Dear ImGui context.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "stats_panel.h"
#include "support/headless_imgui.h"
#include "support/messages.h"

using namespace wsdemo;
using namespace std::chrono_literals;
using wsdemo::test::HeadlessImGui;

namespace {

const SteadyClock::time_point kStart = SteadyClock::now();

ChannelEvent pong(std::optional<std::chrono::microseconds> roundTrip) {
    return {kStart, 1, PongReceived{"", roundTrip}};
}

MessagePtr message(std::size_t bytes) {
    return test::textMessage(std::string(bytes, 'x'));
}

struct StatsScreen {
    HeadlessImGui imgui;
    StatsPanel panel;
    SteadyClock::time_point now = kStart;
    std::chrono::milliseconds pingInterval = 30s;
    std::vector<Action> actions;
    const std::function<void()> draw = [this] {
        if (auto action = panel.draw(now, pingInterval)) actions.push_back(std::move(*action));
    };
    // The payload of each action of type T, in order.
    template <typename T>
    std::vector<std::string> payloads() const {
        std::vector<std::string> found;
        for (const Action& action : actions)
            if (const auto* wanted = std::get_if<T>(&action)) found.push_back(wanted->payload);
        return found;
    }

    std::string value(const std::string& name) {
        imgui.frame(draw);
        return imgui.widgets().values().at(name);
    }
    double number(const std::string& name) { return std::stod(value(name)); }
};

}  // namespace

TEST_CASE("the round trip shows min, mean and max of the pongs we asked for", "[stats_panel]") {
    StatsScreen screen;
    CHECK(screen.value("rtt samples") == "0");
    for (const auto rtt : {2000us, 500us, 3500us}) screen.panel.onEvent(pong(rtt));
    screen.panel.onEvent(pong(std::nullopt));  // Unsolicited: no round trip.
    CHECK(screen.value("rtt samples") == "3");
    CHECK(screen.number("rtt min ms") == Approx(0.5));
    CHECK(screen.number("rtt mean ms") == Approx(2.0));
    CHECK(screen.number("rtt max ms") == Approx(3.5));
    CHECK(screen.value("rtt figures") == "min 0.500  mean 2.000  max 3.500 ms");
}

TEST_CASE("the round trip keeps the last 100 pongs", "[stats_panel]") {
    StatsScreen screen;
    screen.panel.onEvent(pong(100ms));  // Pushed out by the 100 below.
    for (int i = 1; i <= 100; ++i) screen.panel.onEvent(pong(std::chrono::microseconds(i * 1000)));
    CHECK(screen.value("rtt samples") == "100");
    CHECK(screen.number("rtt min ms") == Approx(1.0));
    CHECK(screen.number("rtt max ms") == Approx(100.0));
    CHECK(screen.number("rtt mean ms") == Approx(50.5));
}

TEST_CASE("messages and bytes are counted each way", "[stats_panel]") {
    StatsScreen screen;
    screen.panel.onEvent({kStart, 1, MessageReceived{message(10)}});
    screen.panel.onEvent({kStart, 1, MessageReceived{message(5)}});
    screen.panel.onEvent({kStart, 1, MessageSent{message(7)}});
    screen.panel.onEvent({kStart, 1, PingSent{"", true}});  // Not a message.
    CHECK(screen.value("messages in") == "2");
    CHECK(screen.value("bytes in") == "15");
    CHECK(screen.value("messages out") == "1");
    CHECK(screen.value("bytes out") == "7");
}

TEST_CASE("messages per second count the last second only", "[stats_panel]") {
    StatsScreen screen;
    for (int i = 0; i < 30; ++i)  // 30 in, over 300 ms.
        screen.panel.onEvent({kStart + i * 10ms, 1, MessageReceived{message(1)}});
    screen.panel.onEvent({kStart + 250ms, 1, MessageSent{message(1)}});
    screen.now = kStart + 300ms;
    CHECK(screen.value("messages per second in") == "30");
    CHECK(screen.value("messages per second out") == "1");
    screen.now = kStart + 2s;
    CHECK(screen.value("messages per second in") == "0");
    CHECK(screen.value("messages per second out") == "0");

    SECTION("a second later, the old buckets do not count again") {
        screen.panel.onEvent({kStart + 2s, 1, MessageReceived{message(1)}});
        CHECK(screen.value("messages per second in") == "1");
        CHECK(screen.value("messages in") == "31");
    }
}

TEST_CASE("Ping asks for a ping, numbered, the keepalive is shown", "[stats_panel]") {
    StatsScreen screen;
    screen.imgui.frame(screen.draw);
    screen.imgui.click("Ping", screen.draw);
    screen.imgui.click("Ping", screen.draw);
    CHECK(screen.payloads<PingAction>() == std::vector<std::string>{"1", "2"});
    CHECK(screen.value("keepalive") == "Keepalive: ping after 15 s of silence, drop after 30 s");
    screen.pingInterval = 0ms;
    CHECK(screen.value("keepalive") == "Keepalive: off");
}

TEST_CASE("Pong asks for an unsolicited pong with the payload typed, which Ping takes too",
          "[stats_panel]") {
    StatsScreen screen;
    screen.imgui.frame(screen.draw);
    screen.imgui.click("Pong", screen.draw);
    screen.imgui.click("Payload", screen.draw);
    screen.imgui.type("are you there");
    screen.imgui.frame(screen.draw);
    screen.imgui.click("Pong", screen.draw);
    screen.imgui.click("Ping", screen.draw);
    CHECK(screen.payloads<PongAction>() == std::vector<std::string>{"", "are you there"});
    CHECK(screen.payloads<PingAction>() == std::vector<std::string>{"are you there"});

    SECTION("over 125 bytes, neither goes and the panel says why") {
        screen.imgui.click("Payload", screen.draw);
        screen.imgui.type(std::string(113, 'x'));
        screen.imgui.frame(screen.draw);
        CHECK(screen.value("payload error") == "over 125 bytes");
        const std::size_t before = screen.actions.size();
        screen.imgui.click("Pong", screen.draw);
        screen.imgui.click("Ping", screen.draw);
        CHECK(screen.actions.size() == before);
    }
}

TEST_CASE("the panel fits a narrow side panel, keepalive and payload error included",
          "[stats_panel]") {
    HeadlessImGui imgui(ImVec2(380, 600));  // The side panel's width in a 960 px window.
    StatsPanel panel;
    float overflow = 0;  // How far the contents ran past the panel's right edge.
    const auto draw = [&] {
        HeadlessImGui::panelWindow("Stats", [&] {
            panel.draw(kStart, 30s);
            overflow = HeadlessImGui::overflowX();
        });
    };
    imgui.frame(draw);
    imgui.frame(draw);
    CHECK(overflow == 0);
    imgui.click("Payload", draw);
    imgui.type(std::string(126, 'x'));
    imgui.frame(draw);
    imgui.frame(draw);
    REQUIRE(imgui.widgets().values().at("payload error") == "over 125 bytes");
    CHECK(overflow == 0);
}
