// Layout helpers: text shortened to the room it has, in a headless Dear ImGui context.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "layout.h"
#include "support/headless_imgui.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

const std::string kEllipsis = "\u2026";

bool endsWith(const std::string& text, const std::string& end) {
    return text.size() >= end.size() &&
           text.compare(text.size() - end.size(), end.size(), end) == 0;
}

float widthOf(const std::string& text) {
    return ImGui::CalcTextSize(text.c_str()).x;
}

}  // namespace

TEST_CASE("fitWithEllipsis keeps what fits and ends what does not with an ellipsis", "[layout]") {
    HeadlessImGui imgui;
    imgui.frame([] {
        const std::string text = "Failed: TCP: the connection was refused";
        CHECK(fitWithEllipsis(text, widthOf(text)) == text);

        // Room for "Failed: TCP: " and the ellipsis: the cut falls right after a space.
        const float room = widthOf("Failed: TCP: ") + widthOf(kEllipsis);
        const std::string fitted = fitWithEllipsis(text, room);
        CHECK(widthOf(fitted) <= room);
        REQUIRE(endsWith(fitted, kEllipsis));
        const std::string kept = fitted.substr(0, fitted.size() - kEllipsis.size());
        CHECK(text.rfind(kept, 0) == 0);
        CHECK(kept == "Failed: TCP:");  // The space before the cut goes: "TCP:…", not "TCP: …".

        CHECK(fitWithEllipsis(text, 0.0f) == kEllipsis);
    });
}

TEST_CASE("fitWithEllipsis never cuts a character in two", "[layout]") {
    HeadlessImGui imgui;
    imgui.frame([] {
        const std::string text =
            "caf\u00e9 \u043f\u0440\u0438\u0432\u0435\u0442 \u4f60\u597d \u2264";
        for (float room = 0; room < widthOf(text); room += 1.0f) {
            INFO("room " << room);
            const std::string fitted = fitWithEllipsis(text, room);
            REQUIRE(endsWith(fitted, kEllipsis));
            const std::string kept = fitted.substr(0, fitted.size() - kEllipsis.size());
            CHECK(text.rfind(kept, 0) == 0);
            CHECK(isValidUtf8(kept));
            CHECK(widthOf(fitted) <= std::max(room, widthOf(kEllipsis)));
        }
    });
}
