// The close panel, driven in a headless Dear ImGui context: pick a code, type a reason, and
// see that only what RFC 6455 allows reaches choice().
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "close_panel.h"
#include "support/headless_imgui.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

struct CloseScreen {
    HeadlessImGui imgui;
    ClosePanel panel;
    float overflow = 0;  // How far the last frame's contents ran past the panel's right edge.

    explicit CloseScreen(ImVec2 display = ImVec2(960, 720)) : imgui(display) { frame(); }

    const std::function<void()> draw = [this] {
        HeadlessImGui::panelWindow("close", [this] {
            panel.draw();
            overflow = HeadlessImGui::overflowX();
        });
    };
    void frame() { imgui.frame(draw); }
    void click(const std::string& label) { imgui.click(label, draw); }
    std::string value(const std::string& name) const {
        const auto& values = imgui.widgets().values();
        const auto found = values.find(name);
        return found == values.end() ? "" : found->second;
    }
    void chooseCode(const std::string& item) {
        click("Close code");
        frame();  // The combo's list appears.
        click(item);
    }
    // Replaces the text of the input noted as `label` with `text`, as Ctrl+A and typing do.
    void retype(const std::string& label, const std::string& text) {
        click(label);
        imgui.press(ImGuiKey_A, false, true);
        frame();
        imgui.type(text);
        frame();
        frame();  // Notes of the frame after the edit.
    }
};

}  // namespace

TEST_CASE("the close code is 1000, 1001 or a custom 3000-4999", "[close_panel]") {
    CloseScreen screen;
    CHECK(screen.panel.choice().code == 1000);
    CHECK(screen.panel.valid());

    screen.chooseCode("1001 going away");
    CHECK(screen.panel.choice().code == 1001);

    screen.chooseCode("custom");
    CHECK(screen.panel.choice().code == 4000);  // What the custom input holds at first.
    screen.retype("Custom code", "4999");
    CHECK(screen.panel.choice().code == 4999);
    CHECK(screen.panel.valid());

    SECTION("out of range is shown and not applied") {
        for (const char* typed : {"5000", "2999", "1000", "", "-1"}) {
            INFO(typed);
            screen.retype("Custom code", typed);
            CHECK(screen.value("close code error") == "3000-4999 only");
            CHECK_FALSE(screen.panel.valid());
            CHECK(screen.panel.choice().code == 4999);
        }
        SECTION("a fixed code clears the error") {
            screen.chooseCode("1000 normal closure");
            CHECK(screen.panel.valid());
            CHECK(screen.panel.choice().code == 1000);
            CHECK(screen.value("close code error").empty());
        }
    }
}

TEST_CASE("parseCustomCloseCode takes 3000-4999 in decimal digits only", "[close_panel]") {
    CHECK(std::get<uint16_t>(parseCustomCloseCode("3000")) == 3000);
    CHECK(std::get<uint16_t>(parseCustomCloseCode("4999")) == 4999);
    for (const char* typed : {"", "2999", "5000", "65536", "99999999999", "40.0", "+4000", "4e3"})
        CHECK(std::get<std::string>(parseCustomCloseCode(typed)) == "3000-4999 only");
}

TEST_CASE("the close reason is at most 123 bytes of UTF-8, counted as typed", "[close_panel]") {
    CloseScreen screen;
    screen.click("Close reason");

    SECTION("123 bytes are applied, 124 refused and the last valid reason kept") {
        screen.imgui.type(std::string(123, 'a'));
        screen.frame();
        screen.frame();
        CHECK(screen.panel.choice().reason == std::string(123, 'a'));
        CHECK(screen.value("close reason bytes") == "123/123 bytes");
        CHECK(screen.panel.valid());

        screen.imgui.type("b");
        screen.frame();
        screen.frame();
        CHECK(screen.value("close reason bytes") == "124/123 bytes");
        CHECK(screen.value("close reason error") == "over 123 bytes");
        CHECK_FALSE(screen.panel.valid());
        CHECK(screen.panel.choice().reason == std::string(123, 'a'));
    }
    SECTION("a 2-byte character counts 2 bytes at the boundary") {
        screen.imgui.type(std::string(121, 'a') + "\xc3\xa9");  // é
        screen.frame();
        screen.frame();
        CHECK(screen.value("close reason bytes") == "123/123 bytes");
        CHECK(screen.panel.choice().reason == std::string(121, 'a') + "\xc3\xa9");

        screen.retype("Close reason", std::string(122, 'a') + "\xc3\xa9");
        CHECK(screen.value("close reason bytes") == "124/123 bytes");
        CHECK_FALSE(screen.panel.valid());
        CHECK(screen.panel.choice().reason == std::string(121, 'a') + "\xc3\xa9");
    }
    SECTION("bytes that are not UTF-8 cannot be typed: the reason stays UTF-8") {
        screen.imgui.type("ok\xff");
        screen.frame();
        screen.frame();
        CHECK(screen.panel.valid());
        CHECK(isValidUtf8(screen.panel.choice().reason));
        CHECK(screen.panel.choice().reason.rfind("ok", 0) == 0);
    }
}

TEST_CASE("whyBadCloseReason refuses over 123 bytes and bytes that are not UTF-8",
          "[close_panel]") {
    CHECK(whyBadCloseReason("").empty());
    CHECK(whyBadCloseReason(std::string(123, 'a')).empty());
    CHECK(whyBadCloseReason(std::string(124, 'a')) == "over 123 bytes");
    CHECK(whyBadCloseReason("caf\xc3") == "not valid UTF-8");  // Cut in a character.
    CHECK(whyBadCloseReason("\xff") == "not valid UTF-8");
    CHECK(whyBadCloseReason("\xed\xa0\x80") == "not valid UTF-8");  // A UTF-16 surrogate.
}

TEST_CASE("Unsafe applies any code 0-65535 with a warning and marks the choice unchecked",
          "[close_panel]") {
    CloseScreen screen;
    CHECK_FALSE(screen.panel.choice().unchecked);
    screen.click("Unsafe");
    CHECK(screen.panel.choice().unchecked);
    screen.chooseCode("custom");
    for (const auto& [typed, code, warning] :
         {std::tuple("1005", 1005, "an endpoint may not send 1005"),
          std::tuple("1002", 1002, "outside 3000-4999"),
          std::tuple("0", 0, "0: a close frame with no code and no reason"),
          std::tuple("65535", 65535, "an endpoint may not send 65535")}) {
        INFO(typed);
        screen.retype("Custom code", typed);
        CHECK(screen.panel.valid());
        CHECK(screen.panel.choice().code == code);
        CHECK(screen.value("close code warning") == warning);
        CHECK(screen.value("close code error").empty());
    }
    screen.retype("Custom code", "65536");
    CHECK(screen.value("close code error") == "0-65535 only");
    CHECK(screen.panel.choice().code == 65535);

    SECTION("off again, the code is checked as RFC 6455 says and the unsafe one dropped") {
        screen.retype("Custom code", "1005");
        screen.click("Unsafe");
        CHECK_FALSE(screen.panel.choice().unchecked);
        CHECK(screen.value("close code error") == "3000-4999 only");
        CHECK(screen.panel.choice().code == 1000);
    }
    SECTION("a reason still holds at most 123 bytes") {
        screen.retype("Close reason", std::string(124, 'a'));
        CHECK(screen.value("close reason error") == "over 123 bytes");
        CHECK(screen.panel.choice().reason.empty());
    }
}

TEST_CASE(
    "a code's warning goes beside its input when there is room, else below, never off the panel",
    "[close_panel]") {
    // 380 px is the side panel's width in a 960 px window.
    for (const float width : {960.0f, 380.0f}) {
        INFO("display width " << width);
        CloseScreen screen(ImVec2(width, 600));
        screen.click("Unsafe");
        screen.frame();
        CHECK(screen.overflow == 0);
        screen.chooseCode("custom");
        screen.retype("Custom code", "1005");
        REQUIRE(screen.value("close code warning") == "an endpoint may not send 1005");
        CHECK(screen.overflow == 0);
        const WidgetRect& input = screen.imgui.widgets().items().at("Custom code");
        const WidgetRect& warning = screen.imgui.widgets().items().at("close code warning");
        if (width == 960.0f) {
            CHECK(warning.x > input.x + input.width);
            CHECK(warning.y < input.y + input.height);
        } else {
            CHECK(warning.x == ImGui::GetStyle().WindowPadding.x);
            CHECK(warning.y >= input.y + input.height);
        }
    }
}

TEST_CASE("parseAnyCloseCode takes 0-65535 in decimal digits only", "[close_panel]") {
    CHECK(std::get<uint16_t>(parseAnyCloseCode("0")) == 0);
    CHECK(std::get<uint16_t>(parseAnyCloseCode("65535")) == 65535);
    for (const char* typed : {"", "65536", "-1", "+5", "1e3"})
        CHECK(std::get<std::string>(parseAnyCloseCode(typed)) == "0-65535 only");
}
