// The composer, driven as a person would in a headless Dear ImGui context: type, press, click.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "composer.h"
#include "support/headless_imgui.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

const SteadyClock::time_point kNow = SteadyClock::now();

struct ComposerScreen {
    HeadlessImGui imgui;
    Composer composer;
    std::vector<Snippet> snippets;
    bool canSend = true;
    std::vector<SendAction> sent;  // Every action the composer returned, in order.
    const TimedSender* timer = nullptr;
    std::vector<TimerRequest> timerRequests;
    const std::function<void()> draw = [this] {
        HeadlessImGui::panelWindow("composer", [&] {
            if (auto action = composer.draw(canSend, snippets)) sent.push_back(std::move(*action));
            if (auto request = composer.drawTimer(timer, canSend, kNow))
                timerRequests.push_back(std::move(*request));
        });
    };

    ComposerScreen() { settle(); }  // The input takes the focus over two frames.
    void settle() {
        imgui.frame(draw);
        imgui.frame(draw);
    }
    void type(const std::string& text) {
        imgui.type(text);
        imgui.frame(draw);
    }
    // Then a frame with the key up: Dear ImGui reads a key down in two frames running as held.
    void press(ImGuiKey key, bool shift = false) {
        imgui.press(key, shift);
        imgui.frame(draw);
        imgui.frame(draw);
    }
    void click(const std::string& label) {
        imgui.click(label, draw);
        settle();  // Clicks give the focus back to the input.
    }
    // Replaces what the input noted as `label` holds, as Ctrl+A and typing do.
    void retype(const std::string& label, const std::string& text) {
        imgui.click(label, draw);
        imgui.press(ImGuiKey_A, false, /*ctrl=*/true);
        imgui.frame(draw);
        type(text);
        imgui.frame(draw);
    }
    // Presses Enter and returns what it sent ("" for nothing).
    std::string enter() {
        const std::size_t before = sent.size();
        press(ImGuiKey_Enter);
        return sent.size() > before ? sent.back().data : "";
    }
    void send(const std::string& text) {
        type(text);
        REQUIRE(enter() == text);
    }
    float inputHeight() const { return imgui.widgets().items().at("Message").height; }
    std::string value(const std::string& name) const { return imgui.widgets().values().at(name); }
};

}  // namespace

TEST_CASE("Enter sends the text and clears the input, which keeps the focus", "[composer]") {
    ComposerScreen screen;
    screen.type("Hello!");
    CHECK(screen.sent.empty());
    CHECK(screen.enter() == "Hello!");
    REQUIRE(screen.sent.size() == 1);
    CHECK(screen.sent[0].type == Message::Type::kText);
    screen.type("again");
    CHECK(screen.enter() == "again");  // Not "Hello!again": the input was cleared.
    CHECK(screen.enter().empty());     // An empty input sends nothing.
    CHECK(screen.sent.size() == 2);
}

TEST_CASE("Escape leaves the input and keeps the draft", "[composer]") {
    ComposerScreen screen;
    screen.type("draft");
    screen.press(ImGuiKey_Escape);
    screen.type(" lost");  // Nothing has the focus: nothing takes the characters.
    screen.composer.focus();
    screen.settle();
    CHECK(screen.enter() == "draft");
}

TEST_CASE("Shift+Enter adds a line without sending, the input grows to 5 lines", "[composer]") {
    ComposerScreen screen;
    const float oneLine = screen.inputHeight();
    screen.type("first");
    screen.press(ImGuiKey_Enter, true);
    CHECK(screen.sent.empty());
    screen.type("second");
    const float twoLines = screen.inputHeight();
    CHECK(twoLines > oneLine);
    for (int line = 3; line <= 7; ++line) {
        screen.press(ImGuiKey_Enter, true);
        screen.type(std::to_string(line));
    }
    const float lineHeight = twoLines - oneLine;
    CHECK(screen.inputHeight() == Approx(oneLine + 4 * lineHeight));
    CHECK(screen.enter() == "first\nsecond\n3\n4\n5\n6\n7");
    CHECK(screen.inputHeight() == Approx(oneLine));  // The frame after the send.
}

TEST_CASE("clicking Send sends the text, nothing is sent when the channel would refuse",
          "[composer]") {
    ComposerScreen screen;
    screen.type("h\xc3\xa9llo");
    screen.click("Send");
    REQUIRE(screen.sent.size() == 1);
    CHECK(screen.sent[0].data == "h\xc3\xa9llo");

    SECTION("the focus came back to the input, which is empty") {
        screen.type("typed on");
        CHECK(screen.enter() == "typed on");
    }
    SECTION("with the input empty, Send is disabled") {
        screen.click("Send");
        CHECK(screen.sent.size() == 1);
    }
    SECTION("closed for good: Enter and Send do nothing, and the text stays") {
        screen.canSend = false;
        screen.type("late");
        CHECK(screen.enter().empty());
        screen.click("Send");
        CHECK(screen.sent.size() == 1);
        screen.canSend = true;
        screen.click("Send");
        REQUIRE(screen.sent.size() == 2);
        CHECK(screen.sent[1].data == "late");
    }
}

TEST_CASE("a refused send shows why, in red, until the next send", "[composer]") {
    ComposerScreen screen;
    screen.composer.onSendResult(SendResult::kQueueFull);
    screen.settle();
    CHECK(screen.value("send error") == "Not sent: the send queue is full");
    screen.send("retry");
    CHECK(screen.value("send error").empty());
}

TEST_CASE("Binary sends the bytes typed as hex, and refuses bad hex", "[composer]") {
    ComposerScreen screen;
    screen.click("Binary");
    screen.type("48 69 00ff");
    CHECK(screen.value("hex error").empty());
    CHECK(screen.enter() == std::string("Hi\0\xff", 4));
    CHECK(screen.sent.back().type == Message::Type::kBinary);

    SECTION("bad hex shows the error; Enter and Send do nothing") {
        screen.type("4g");
        CHECK(screen.value("hex error") == "'g' at column 2 is not a hex digit");
        CHECK(screen.enter().empty());
        screen.press(ImGuiKey_Backspace);
        screen.type("1");
        CHECK(screen.value("hex error").empty());
        screen.type("x");
        CHECK(screen.value("hex error") == "'x' at column 3 is not a hex digit");
        screen.click("Send");
        CHECK(screen.sent.size() == 1);
    }
    SECTION("an odd digit count is an error") {
        screen.type("414");
        CHECK(screen.value("hex error") ==
              "'4' at column 3 has no second digit: a byte is two hex digits");
        CHECK(screen.enter().empty());
    }
    SECTION("Text sends what is typed as it is") {
        screen.click("Text");
        screen.type("4g");
        CHECK(screen.value("hex error").empty());
        CHECK(screen.enter() == "4g");
        CHECK(screen.sent.back().type == Message::Type::kText);
    }
}

TEST_CASE("Up and Down recall the messages sent, as a shell does", "[composer]") {
    ComposerScreen screen;
    for (const char* text : {"one", "two", "three"}) screen.send(text);

    SECTION("Up goes back, newest first, and stops at the oldest") {
        for (int i = 0; i < 4; ++i) screen.press(ImGuiKey_UpArrow);
        CHECK(screen.enter() == "one");
    }
    SECTION("Down comes forward again") {
        for (int i = 0; i < 3; ++i) screen.press(ImGuiKey_UpArrow);
        screen.press(ImGuiKey_DownArrow);
        CHECK(screen.enter() == "two");
    }
    SECTION("the draft is kept: Down past the newest brings it back") {
        screen.type("draft");
        screen.press(ImGuiKey_UpArrow);
        screen.press(ImGuiKey_UpArrow);
        screen.press(ImGuiKey_DownArrow);
        screen.press(ImGuiKey_DownArrow);
        screen.press(ImGuiKey_DownArrow);  // Past the draft: nothing changes.
        CHECK(screen.enter() == "draft");
    }
    SECTION("off the first line, Up moves the cursor instead") {
        screen.type("a");
        screen.press(ImGuiKey_Enter, true);
        screen.type("b");
        screen.press(ImGuiKey_UpArrow);  // From line 2 to line 1.
        CHECK(screen.enter() == "a\nb");
    }
    SECTION("a recalled message comes back in its own mode") {
        screen.click("Binary");
        screen.type("4142");
        REQUIRE(screen.enter() == "AB");
        screen.click("Text");
        screen.press(ImGuiKey_UpArrow);
        CHECK(screen.enter() == "AB");
        CHECK(screen.sent.back().type == Message::Type::kBinary);
    }
}

TEST_CASE("the history keeps the last 100 messages sent", "[composer]") {
    ComposerScreen screen;
    for (int i = 0; i <= 100; ++i) screen.send("m" + std::to_string(i));
    for (int i = 0; i < 101; ++i) screen.press(ImGuiKey_UpArrow);
    CHECK(screen.enter() == "m1");  // m0, the 101st from the newest, is gone.
}

TEST_CASE("snippets: a click inserts one, Save as snippet adds one, Delete removes one",
          "[composer]") {
    ComposerScreen screen;
    screen.snippets = {{"greet", "hello there", false}, {"bytes", "01 02", true}};

    SECTION("a text snippet goes in at the cursor") {
        screen.type("say ");
        screen.click("Snippets");
        screen.click("Snippet greet");
        CHECK(screen.enter() == "say hello there");
    }
    SECTION("a binary snippet switches to Binary") {
        screen.type("draft text");
        screen.click("Snippets");
        screen.click("Snippet bytes");
        CHECK(screen.enter() == "\x01\x02");
        CHECK(screen.sent.back().type == Message::Type::kBinary);
    }
    SECTION("Save as snippet keeps the input under a name") {
        screen.type("ping me");
        screen.click("Save as snippet");
        screen.type("mine");
        screen.click("Save snippet");
        REQUIRE(screen.snippets.size() == 3);
        CHECK(screen.snippets[2].name == "mine");
        CHECK(screen.snippets[2].body == "ping me");
        CHECK_FALSE(screen.snippets[2].binary);
        CHECK(screen.enter() == "ping me");  // The input is left as it was, and focused.
    }
    SECTION("saving under an existing name replaces that snippet") {
        screen.click("Binary");
        screen.type("ff");
        screen.click("Save as snippet");
        screen.type("greet");
        screen.click("Save snippet");
        REQUIRE(screen.snippets.size() == 2);
        CHECK(screen.snippets[0].body == "ff");
        CHECK(screen.snippets[0].binary);
    }
    SECTION("at most 100 snippets: the 101st is refused, and why is shown") {
        for (int i = 2; i < 100; ++i) screen.snippets.push_back({std::to_string(i), "body"});
        screen.type("one too many");
        screen.click("Save as snippet");
        screen.type("extra");
        screen.click("Save snippet");
        CHECK(screen.snippets.size() == 100);
        CHECK(screen.value("snippet error") == "At most 100 snippets: delete one first");
    }
    SECTION("Delete removes one") {
        screen.click("Snippets");
        screen.click("Delete snippet greet");
        REQUIRE(screen.snippets.size() == 1);
        CHECK(screen.snippets[0].name == "bytes");
    }
}

TEST_CASE("Start timer asks to send the input every N seconds, K times, Stop timer stops",
          "[composer]") {
    ComposerScreen screen;
    screen.type("tick");
    screen.retype("Every", "0.3");
    screen.retype("Times", "3");
    screen.click("Start timer");
    REQUIRE(screen.timerRequests.size() == 1);
    const TimerRequest& request = screen.timerRequests[0];
    REQUIRE(request.start);
    CHECK(request.start->message == "tick");
    CHECK(request.start->every == std::chrono::milliseconds(300));
    CHECK(request.start->times == std::optional<uint64_t>(3));
    CHECK(request.type == Message::Type::kText);
    CHECK(screen.sent.empty());  // The App sends when due, not the composer.

    SECTION("while it runs: its progress, and Stop timer") {
        TimedSender timer(*request.start);
        timer.start(kNow - std::chrono::milliseconds(100));
        screen.timer = &timer;
        screen.settle();
        CHECK(screen.value("timer") == "timed: 0 of 3 sent, next in 0.2 s");
        screen.click("Stop timer");
        REQUIRE(screen.timerRequests.size() == 2);
        CHECK_FALSE(screen.timerRequests[1].start);
        timer.stop();
        screen.settle();
        CHECK(screen.value("timer") == "timed: 0 of 3 sent, stopped");
    }
    SECTION("0 times: until stopped") {
        screen.retype("Times", "0");
        screen.click("Start timer");
        REQUIRE(screen.timerRequests.size() == 2);
        CHECK_FALSE(screen.timerRequests[1].start->times);
    }
    SECTION("an interval out of range is refused, and why is shown") {
        screen.retype("Every", "0");
        screen.click("Start timer");
        CHECK(screen.timerRequests.size() == 1);
        CHECK(screen.value("timer") == "every 0.01 to 86400 s");
    }
}
