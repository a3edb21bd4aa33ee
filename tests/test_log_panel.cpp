// The log panel in a headless Dear ImGui context, driven as a person would: type a filter, click
// toggles, rows, Clear and Copy, scroll with the wheel.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <memory>
#include <string>

#include "log_panel.h"
#include "support/headless_imgui.h"
#include "support/messages.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

ChannelEvent received(std::string text) {
    return {{}, 1, MessageReceived{test::textMessage(text)}};
}
ChannelEvent sent(std::string text) {
    return {{}, 1, MessageSent{test::textMessage(text)}};
}

struct LogPanelFixture {
    HeadlessImGui imgui;
    MessageLog log;
    LogPanel panel;

    void draw() {
        HeadlessImGui::panelWindow("Log", [&] { panel.draw(log); });
    }
    void frame() {
        imgui.frame([this] { draw(); });
    }
    void click(const std::string& label) {
        imgui.click(label, [this] { draw(); });
    }
    void add(const ChannelEvent& event) { log.add(event, std::chrono::system_clock::now()); }
    bool shows(uint64_t seq) const {
        return imgui.widgets().items().count("Log row " + std::to_string(seq)) == 1;
    }
    std::string value(const std::string& name) const { return imgui.widgets().values().at(name); }
    void wheel(float notches) {
        ImGui::GetIO().MousePos = ImVec2(480, 400);  // Over the table.
        ImGui::GetIO().MouseWheel = notches;
        frame();
        ImGui::GetIO().MouseWheel = 0;
        frame();
    }
};

}  // namespace

TEST_CASE_METHOD(LogPanelFixture, "typing a filter shows only the rows containing it", "[log]") {
    add(received("alpha"));
    add(received("beta"));
    add(sent("the alphabet"));
    frame();
    CHECK(value("log rows") == "3");
    click("Filter");
    imgui.type("alpha");
    frame();
    frame();
    CHECK(value("log rows") == "2");
    CHECK(shows(0));
    CHECK_FALSE(shows(1));
    CHECK(shows(2));

    SECTION("rows arriving later are filtered as they come") {
        add(received("no match"));
        add(received("alpha again"));
        frame();
        CHECK(value("log rows") == "3");
        CHECK_FALSE(shows(3));
        CHECK(shows(4));
    }
    SECTION("a filter finds text past a message's first line") {
        add(received("first line\nthen alpha"));
        frame();
        CHECK(shows(3));
    }
}

TEST_CASE_METHOD(LogPanelFixture, "the direction toggles hide received, sent and event rows",
                 "[log]") {
    add(received("in"));
    add(sent("out"));
    add({{}, 1, PingSent{"", false}});
    frame();
    CHECK(value("log rows") == "3");
    click("In");
    CHECK(value("log rows") == "2");
    CHECK_FALSE(shows(0));
    CHECK(shows(1));
    click("Events");
    CHECK(value("log rows") == "1");
    CHECK(shows(1));
    CHECK_FALSE(shows(2));
    click("Out");
    CHECK(value("log rows") == "0");
    click("In");
    CHECK(value("log rows") == "1");
    CHECK(shows(0));
}

TEST_CASE_METHOD(LogPanelFixture, "the panel shows how many rows the ring dropped", "[log]") {
    LogLimits limits;
    limits.maxRows = 3;
    log.setLimits(limits);
    frame();
    CHECK(value("log dropped") == "0");
    for (int i = 0; i < 5; ++i) add(received(std::to_string(i)));
    frame();
    CHECK(value("log dropped") == "2");
    CHECK(value("log rows") == "3");
    CHECK_FALSE(shows(1));
    CHECK(shows(2));
    CHECK(shows(4));
}

TEST_CASE_METHOD(LogPanelFixture, "a selected row stays selected while older rows are dropped",
                 "[log]") {
    LogLimits limits;
    limits.maxRows = 5;
    log.setLimits(limits);
    for (int i = 0; i < 5; ++i) add(received(std::to_string(i)));
    frame();
    click("Log row 3");
    REQUIRE(panel.selectedSeq() == 3u);
    add(received("5"));
    add(received("6"));
    frame();
    CHECK(panel.selectedSeq() == 3u);
    REQUIRE(log.findBySeq(3) != nullptr);
    CHECK(log.findBySeq(3)->summary() == "3");

    SECTION("until its own row is dropped") {
        for (int i = 7; i < 12; ++i) add(received(std::to_string(i)));
        frame();
        CHECK_FALSE(panel.selectedSeq());
    }
}

TEST_CASE_METHOD(LogPanelFixture, "Clear empties the log and the selection", "[log]") {
    add(received("one"));
    add(received("two"));
    frame();
    click("Log row 1");
    REQUIRE(panel.selectedSeq());
    click("Clear");
    CHECK(log.size() == 0);
    CHECK_FALSE(panel.selectedSeq());
    CHECK(value("log rows") == "0");
    add(received("three"));
    frame();
    CHECK(value("log rows") == "1");
    CHECK(shows(2));
}

TEST_CASE_METHOD(LogPanelFixture, "Copy puts the selected message on the clipboard whole",
                 "[log]") {
    const std::string text = "line one\nline two " + std::string(300, 'x');
    add(received(text));
    add({{}, 1, MessageReceived{test::binaryMessage(std::string("\x00\x7f\xff", 3))}});
    frame();
    click("Log row 0");
    click("Copy");
    CHECK(ImGui::GetClipboardText() == text);
    click("Log row 1");
    click("Copy");
    CHECK(std::string(ImGui::GetClipboardText()) == "00 7f ff");
}

TEST_CASE_METHOD(LogPanelFixture, "the table follows new rows only while scrolled to the bottom",
                 "[log]") {
    for (int i = 0; i < 200; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    CHECK(shows(199));
    CHECK_FALSE(shows(0));
    for (int i = 200; i < 210; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    CHECK(shows(209));

    wheel(5);  // Up: reading older rows.
    CHECK_FALSE(shows(209));
    for (int i = 210; i < 220; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    CHECK_FALSE(shows(219));

    wheel(-1000);  // Back down to the bottom.
    for (int i = 220; i < 230; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    CHECK(shows(229));
}

TEST_CASE_METHOD(LogPanelFixture, "rows read further up stay in place as older rows are dropped",
                 "[log]") {
    LogLimits limits;
    limits.maxRows = 300;
    log.setLimits(limits);
    for (int i = 0; i < 300; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    wheel(10);
    uint64_t firstShown = 0;
    while (!shows(firstShown)) ++firstShown;
    for (int i = 300; i < 320; ++i) add(received(std::to_string(i)));
    frame();
    frame();
    CHECK(shows(firstShown));
    CHECK(log.droppedRows() == 20);
}

TEST_CASE("the toolbar fits a narrow log: the filter gives up width first, then it wraps",
          "[log]") {
    for (const float width : {960.0f, 480.0f, 300.0f}) {
        INFO("display width " << width);
        HeadlessImGui imgui(ImVec2(width, 600));
        MessageLog log;
        LogPanel panel;
        const auto draw = [&] { HeadlessImGui::panelWindow("Log", [&] { panel.draw(log); }); };
        imgui.frame(draw);
        imgui.frame(draw);
        const WidgetRect& copy = imgui.widgets().items().at("Copy");
        CHECK(copy.x + copy.width <= width - ImGui::GetStyle().WindowPadding.x);
        CHECK(imgui.widgets().items().at("Filter").width >= ImGui::GetFontSize() * 5);
    }
}
