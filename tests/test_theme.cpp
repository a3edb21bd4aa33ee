// Dark and light styles, scaled once, and the colours the app gives meaning to.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "support/headless_imgui.h"
#include "theme.h"

using namespace wsdemo;

TEST_CASE("applying a style twice scales its sizes once", "[theme]") {
    test::HeadlessImGui imgui;
    const ImGuiStyle defaults;
    applyStyle(Theme::kDark, 2.0f);
    applyStyle(Theme::kDark, 2.0f);
    CHECK(ImGui::GetStyle().FramePadding.x == 2 * defaults.FramePadding.x);
    CHECK(ImGui::GetStyle().ItemSpacing.y == 2 * defaults.ItemSpacing.y);
    applyStyle(Theme::kDark, 1.0f);
    CHECK(ImGui::GetStyle().FramePadding.x == defaults.FramePadding.x);
}

TEST_CASE("the light theme has a light background and the dark one a dark one", "[theme]") {
    test::HeadlessImGui imgui;
    applyStyle(Theme::kLight, 1.0f);
    CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.8f);
    applyStyle(Theme::kDark, 1.0f);
    CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.2f);
}

namespace {

// WCAG relative luminance and contrast ratio.
float luminance(const ImVec4& colour) {
    const auto linear = [](float c) {
        return c <= 0.03928f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
    };
    return 0.2126f * linear(colour.x) + 0.7152f * linear(colour.y) + 0.0722f * linear(colour.z);
}

float contrast(const ImVec4& a, const ImVec4& b) {
    const float la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

}  // namespace

TEST_CASE("the theme in use is read back from the style applyStyle set", "[theme]") {
    test::HeadlessImGui imgui;
    for (const Theme theme : {Theme::kDark, Theme::kLight, Theme::kDark}) {
        applyStyle(theme, 2.0f);
        CHECK(themeInUse() == theme);
    }
}

TEST_CASE("warning, caution and direction colours are readable on their theme's background",
          "[theme]") {
    test::HeadlessImGui imgui;
    for (const Theme theme : {Theme::kDark, Theme::kLight}) {
        applyStyle(theme, 1.0f);
        const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        INFO("theme " << static_cast<int>(theme));
        CHECK(contrast(warningColor(theme), background) >= 4.5f);
        CHECK(warningColor(theme).x > 2 * warningColor(theme).y);  // Red.
        CHECK(contrast(cautionColor(theme), background) >= 4.5f);
        CHECK(cautionColor(theme).y > cautionColor(theme).x / 2);  // Orange: told from red.
        for (const RowDirection direction :
             {RowDirection::kIncoming, RowDirection::kOutgoing, RowDirection::kEvent})
            CHECK(contrast(directionColor(theme, direction), background) >= 4.5f);
    }
    CHECK(directionColor(Theme::kDark, RowDirection::kIncoming).y !=
          directionColor(Theme::kDark, RowDirection::kOutgoing).y);
}
