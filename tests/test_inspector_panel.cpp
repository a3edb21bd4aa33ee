// The inspector and what it draws with: hex dump lines, the JSON tree, missing glyphs; the
// panel itself in a headless Dear ImGui context.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <memory>
#include <string>

#include "hex_dump.h"
#include "inspector_panel.h"
#include "json_view.h"
#include "support/headless_imgui.h"
#include "support/messages.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

std::vector<std::string> visibleRows(const JsonTree& tree) {
    std::vector<std::string> rows;
    for (const std::size_t node : tree.visibleNodes()) rows.push_back(tree.rowText(node));
    return rows;
}

JsonTree parsed(const std::string& text) {
    auto result = JsonTree::parse(text);
    INFO(text);
    REQUIRE(std::holds_alternative<JsonTree>(result));
    return std::move(std::get<JsonTree>(result));
}

std::string parseError(const std::string& text) {
    auto result = JsonTree::parse(text);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

struct InspectorFixture {
    HeadlessImGui imgui;
    MessageLog log;
    InspectorPanel panel;
    const LogEntry* selected = nullptr;

    void draw() {
        HeadlessImGui::panelWindow("Inspector", [&] { panel.draw(selected); });
    }
    void frame() {
        imgui.frame([this] { draw(); });
    }
    void click(const std::string& label) {
        imgui.click(label, [this] { draw(); });
    }
    void select(std::string data, Message::Type type = Message::Type::kText) {
        log.add({{}, 1, MessageReceived{test::sharedMessage(type, std::move(data))}},
                std::chrono::system_clock::now());
        selected = &log.entry(log.size() - 1);
        frame();
    }
    std::string value(const std::string& name) const { return imgui.widgets().values().at(name); }
    // Every draw list of the last frame stays inside 16-bit indices.
    int largestDrawList() const {
        int largest = 0;
        const ImDrawData* data = ImGui::GetDrawData();
        for (int i = 0; i < data->CmdListsCount; ++i)
            largest = std::max(largest, data->CmdLists[i]->VtxBuffer.Size);
        return largest;
    }
};

}  // namespace

TEST_CASE("hex dump lines read as hexdump -C's", "[inspector]") {
    CHECK(hexDumpLine(std::string("Hello, world!\n\x00\xff", 16), 0) ==
          "00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  |Hello, world!...|");
    CHECK(hexDumpLine("abc", 0x30) ==
          "00000030  61 62 63                                          |abc|");
    CHECK(hexDumpLine("0123456789", 16) ==
          "00000010  30 31 32 33 34 35 36 37  38 39                    |0123456789|");
    SECTION("only the first 16 bytes, and offsets past 4 GiB grow") {
        CHECK(hexDumpLine(std::string(20, ' '), std::size_t{1} << 32) ==
              "100000000  20 20 20 20 20 20 20 20  20 20 20 20 20 20 20 20  |                |");
    }
    CHECK(hexDumpLineCount(0) == 1);
    CHECK(hexDumpLineCount(16) == 1);
    CHECK(hexDumpLineCount(17) == 2);
}

TEST_CASE("utf8Prefix cuts before a character, never inside one", "[inspector]") {
    CHECK(utf8Prefix("a\xc3\xa9", 2) == "a");
    CHECK(utf8Prefix("a\xc3\xa9", 3) == "a\xc3\xa9");
    CHECK(utf8Prefix("\xf0\x9f\x8e\x89!", 3).empty());
    CHECK(utf8Prefix("abc", 10) == "abc");
}

TEST_CASE("a JSON message is a tree of rows that open and close", "[inspector]") {
    JsonTree tree = parsed(R"({"a": [1, "two", {"b": null}], "c##": {}})");
    CHECK(visibleRows(tree) == std::vector<std::string>{"{ 2 members }", R"("a": [ 3 items ])",
                                                        "[0]: 1", R"([1]: "two")",
                                                        "[2]: { 1 member }", R"("b": null)",
                                                        R"("c##": {})"});
    CHECK(tree.isExpandable(1));
    CHECK_FALSE(tree.isExpandable(6));  // Empty: nothing to open.
    tree.setOpen(1, false);
    CHECK(visibleRows(tree) ==
          std::vector<std::string>{"{ 2 members }", R"("a": [ 3 items ])", R"("c##": {})"});
    tree.setOpen(0, false);
    CHECK(visibleRows(tree) == std::vector<std::string>{"{ 2 members }"});

    SECTION("a long string shows its beginning") {
        const JsonTree strings = parsed("[\"" + std::string(1000, 'x') + "\"]");
        const std::string row = strings.rowText(1);
        CHECK(row.size() == JsonTree::kMaxRowBytes + 4);
        CHECK(row.substr(row.size() - 4) == " ...");
    }
}

TEST_CASE("only objects and arrays are JSON views, errors say why", "[inspector]") {
    CHECK(parseError("hello").empty());
    CHECK(parseError("42").empty());
    const std::string error = parseError("{\"a\": tru\xc3\xa9}");
    CHECK(error.rfind("not JSON: parse error at line 1, column ", 0) == 0);
    CHECK(error.find("last read") == std::string::npos);  // Not the peer's bytes.
    CHECK(isValidUtf8(error));
}

TEST_CASE("JSON over 4 MiB is not parsed into a tree", "[inspector]") {
    std::string big = "[" + std::string(5u << 20, ' ') + "]";
    CHECK(parseError(big) ==
          "JSON of 5.0 MiB: the tree view takes at most 4 MiB, shown as text only");
    big.resize(JsonTree::kMaxParseBytes - 1);
    CHECK(parsed(big + "]").nodeCount() == 1);
}

TEST_CASE("1 MB of nested brackets is refused without exhausting the stack", "[inspector]") {
    CHECK(parseError(std::string(1 << 20, '[')) ==
          "JSON nested deeper than 256 levels: shown as text only");
    CHECK(parseError(std::string(1 << 20, '[') + std::string(1 << 20, ']')) ==
          "JSON nested deeper than 256 levels: shown as text only");

    SECTION("brackets inside strings are not nesting") {
        const JsonTree strings = parsed("[\"" + std::string(1000, '[') + "\\\"{\"]");
        CHECK(strings.nodeCount() == 2);
    }
    SECTION("depth allowed but past the tree's: the rest is one line of compact JSON") {
        const JsonTree deep = parsed(std::string(200, '[') + std::string(200, ']'));
        CHECK(deep.nodeCount() == JsonTree::kMaxTreeDepth + 1);
        const std::string last = deep.rowText(JsonTree::kMaxTreeDepth);
        CHECK(last.rfind("[0]: [[[", 0) == 0);
        CHECK(last.size() == JsonTree::kMaxRowBytes + 4);
    }
}

TEST_CASE_METHOD(InspectorFixture, "the inspector shows text, hex and JSON views as fit",
                 "[inspector]") {
    frame();
    CHECK(value("inspector missing glyphs").empty());
    select("plain text");
    CHECK(panel.view() == InspectorPanel::View::kText);
    click("JSON");  // Disabled: not JSON.
    CHECK(panel.view() == InspectorPanel::View::kText);
    click("Hex");
    CHECK(panel.view() == InspectorPanel::View::kHex);

    select(std::string("\x01\x02", 2), Message::Type::kBinary);
    CHECK(panel.view() == InspectorPanel::View::kHex);
    click("Text");  // Disabled for binary.
    CHECK(panel.view() == InspectorPanel::View::kHex);

    select(R"({"k": [1, 2]})");
    click("JSON");
    CHECK(panel.view() == InspectorPanel::View::kJson);
    select("not json");
    CHECK(panel.view() == InspectorPanel::View::kText);
    select("[true]");
    CHECK(panel.view() == InspectorPanel::View::kJson);  // The choice is remembered.
    select(std::string(1 << 20, '['));
    CHECK(panel.view() == InspectorPanel::View::kText);
    CHECK(largestDrawList() < 65536);
}

TEST_CASE_METHOD(InspectorFixture, "a huge message is drawn a screenful at a time", "[inspector]") {
    std::string lines;
    for (int i = 0; i < 100000; ++i) lines += "line " + std::to_string(i) + " of many\n";
    SECTION("many lines") {
        select(lines);
    }
    SECTION("one line of 4 MiB without blanks") {
        select(std::string(4 << 20, 'w'));
    }
    SECTION("4 MiB as hex") {
        select(std::string(4 << 20, '\x42'), Message::Type::kBinary);
        CHECK(panel.view() == InspectorPanel::View::kHex);
    }
    SECTION("a JSON array of 100,000 items") {
        std::string array = "[0";
        for (int i = 1; i < 100000; ++i) array += "," + std::to_string(i);
        select(array + "]");
        click("JSON");
        CHECK(panel.view() == InspectorPanel::View::kJson);
    }
    frame();
    CHECK(largestDrawList() > 0);
    CHECK(largestDrawList() < 65536);
}

TEST_CASE_METHOD(InspectorFixture, "the inspector lists the codepoints the font cannot draw",
                 "[inspector]") {
    // The default font has ASCII and Latin-1 only.
    select("caf\xc3\xa9 \xf0\x9f\x8e\x89 \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x8e\x89\n");
    CHECK(value("inspector missing glyphs") == "U+1F389 U+4F60 U+597D");
    select("plain caf\xc3\xa9");
    CHECK(value("inspector missing glyphs").empty());

    SECTION("the listing is bounded") {
        std::string many;
        for (int i = 0; i < 100; ++i) many += "\xe4\xbd" + std::string(1, char(0x80 + i % 64));
        CHECK(missingGlyphs(many, *ImGui::GetIO().Fonts->Fonts[0], 3) == "U+4F40 U+4F41 U+4F42");
    }
}
