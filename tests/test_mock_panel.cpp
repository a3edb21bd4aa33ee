// The Mock panel driven in a headless Dear ImGui context: Example, Apply, Clear, and the rules
// kept in the settings, with what the echo server is told and what the panel says.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mock_panel.h"
#include "support/headless_imgui.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

const std::string kOneRule =
    R"({"rules": [{"match": {"text": "ping?"}, "reply": [{"text": "pong!"}]}]})";

struct MockScreen {
    explicit MockScreen(const std::string& stored = "", ImVec2 display = ImVec2(960, 720))
        : imgui(display), panel(stored) {
        frame();
        frame();
    }
    HeadlessImGui imgui;
    MockPanel panel;
    std::vector<SetMockRulesAction> applied;
    float overflow = 0;  // How far the last frame's contents ran past the panel's right edge.

    const std::function<void()> draw = [this] {
        HeadlessImGui::panelWindow("mock", [&] {
            if (auto action = panel.draw()) applied.push_back(std::move(*action));
            overflow = HeadlessImGui::overflowX();
        });
    };
    void frame() { imgui.frame(draw); }
    // Clicks, and draws the frame after, which shows what the click did.
    void click(const std::string& label) {
        imgui.click(label, draw);
        frame();
    }
    std::string value(const std::string& name) const {
        const auto& values = imgui.widgets().values();
        const auto found = values.find(name);
        return found == values.end() ? "" : found->second;
    }
    // Replaces the editor's text, as Ctrl+A and typing do.
    void retype(const std::string& text) {
        click("Rules");
        imgui.press(ImGuiKey_A, false, /*ctrl=*/true);
        frame();
        imgui.type(text);
        frame();
        frame();
    }
};

}  // namespace

TEST_CASE("Example then Apply gives the server the example's 7 rules", "[mock_panel]") {
    MockScreen screen;
    CHECK(screen.value("mock status") == "The echo server echoes every message");
    screen.click("Example");
    CHECK(screen.applied.empty());  // Filled in, not applied yet.
    screen.click("Apply");
    REQUIRE(screen.applied.size() == 1);
    REQUIRE(screen.applied[0].rules);
    CHECK(screen.applied[0].rules->rules.size() == 7);
    CHECK(screen.applied[0].text.find("\"pong!\"") != std::string::npos);
    CHECK(screen.value("mock status") == "The echo server answers by 7 rules");
    CHECK(screen.value("mock error") == "");
}

TEST_CASE("rules with an error are not applied, the error names the rule and field",
          "[mock_panel]") {
    MockScreen screen;
    screen.retype(kOneRule);
    screen.click("Apply");
    REQUIRE(screen.applied.size() == 1);

    screen.retype(R"({"rules": [{"match": {"text": "a"}, "repy": []}]})");
    screen.click("Apply");
    CHECK(screen.applied.size() == 1);
    const std::string error = screen.value("mock error");
    CHECK(error.find("rule 1") != std::string::npos);
    CHECK(error.find("repy") != std::string::npos);
    CHECK(screen.value("mock status") == "The echo server answers by 1 rule");

    SECTION("not JSON at all") {
        screen.retype("{\"rules\": [");
        screen.click("Apply");
        CHECK(screen.applied.size() == 1);
        CHECK_FALSE(screen.value("mock error").empty());
    }
}

TEST_CASE("the panel fits a narrow side panel, rules, errors and hints included", "[mock_panel]") {
    MockScreen screen("", ImVec2(380, 720));  // The side panel's width in a 960 px window.
    CHECK(screen.overflow == 0);
    screen.click("Example");
    screen.click("Apply");
    REQUIRE(screen.applied.size() == 1);
    CHECK(screen.overflow == 0);
    screen.retype(
        R"({"rules": [{"match": {"text": "a"}, "reply": [{"text": "b", "delay_ms": -1}]}]})");
    screen.click("Apply");
    REQUIRE_FALSE(screen.value("mock error").empty());
    CHECK(screen.overflow == 0);
}

TEST_CASE("Clear goes back to echoing and empties the editor", "[mock_panel]") {
    MockScreen screen(kOneRule);
    CHECK(screen.value("mock status") == "The echo server answers by 1 rule");
    screen.click("Clear rules");
    REQUIRE(screen.applied.size() == 1);
    CHECK_FALSE(screen.applied[0].rules);
    CHECK(screen.applied[0].text.empty());
    CHECK(screen.value("mock status") == "The echo server echoes every message");
    SECTION("Apply with nothing typed is the same") {
        screen.click("Apply");
        REQUIRE(screen.applied.size() == 2);
        CHECK_FALSE(screen.applied[1].rules);
    }
}

TEST_CASE("rules kept in the settings are used when they parse, else the panel says why",
          "[mock_panel]") {
    CHECK(storedMockRules(kOneRule)->rules.size() == 1);
    CHECK_FALSE(storedMockRules(""));
    CHECK_FALSE(storedMockRules("{\"rules\": 5}"));

    SECTION("not rules") {
        MockScreen bad("{\"rules\": 5}");
        CHECK_FALSE(bad.panel.error().empty());
        CHECK(bad.value("mock status") == "The echo server echoes every message");
    }
    SECTION("too large") {
        const std::string huge = "{\"rules\": []}" + std::string(kMaxRulesFileBytes, ' ');
        CHECK_FALSE(storedMockRules(huge));
        MockScreen tooLarge(huge);
        CHECK(tooLarge.panel.error() ==
              std::to_string(huge.size()) + " bytes, more than the 1048576 rules may hold");
    }
}
