// The inspector: the log's selected row whole, as wrapped text, as a hex dump, or as a
// collapsible JSON tree when the message is JSON; and the codepoints the font cannot draw.
// Drawn into the current window by the App.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_view.h"
#include "message_log.h"

struct ImFont;

namespace wsdemo {

// "U+1F389 U+4F60": the distinct codepoints of `text` (first seen first, at most `limit`) that
// `font` has no glyph for, controls aside. Those past U+FFFF are always listed: this Dear ImGui
// build keeps glyphs in 16 bits (ImWchar16).
std::string missingGlyphs(std::string_view text, const ImFont& font, std::size_t limit = 64);

class InspectorPanel {
public:
    enum class View { kText, kHex, kJson };

    // `selected`: the log's selected row, or nullptr.
    void draw(const LogEntry* selected);

    // The view drawn in the last frame.
    View view() const { return shownView_; }

private:
    void select(const LogEntry& entry);
    void drawViewSwitch();
    void drawText();
    void drawHex();
    void drawJson();
    void wrapLines(float width);

    // The row shown, held here so that its caches stay valid once the log drops it.
    std::optional<uint64_t> seq_;
    LogEntry entry_;
    std::optional<JsonTree> json_;
    std::string jsonError_;  // Why a message that looks like JSON is not shown as a tree.

    View chosen_ = View::kText;  // The user's choice, used whenever the row allows it.
    View shownView_ = View::kText;

    // Visual lines of the text, as [begin, end) byte offsets, for the width and font they were
    // wrapped for.
    std::vector<std::pair<std::size_t, std::size_t>> lines_;
    float wrappedWidth_ = -1;
    const ImFont* wrappedFont_ = nullptr;

    std::string missing_;
    const ImFont* glyphFont_ = nullptr;  // Font and glyph count missing_ was found with:
    int glyphCount_ = -1;                // the atlas grows as text arrives.
};

}  // namespace wsdemo
