#include "inspector_panel.h"
#include "fonts.h"

#include <imgui.h>

#include <cstdio>
#include <set>

#include "font_roles.h"
#include "hex_dump.h"
#include "local_time.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

// The codepoint starting at text[pos] and its length; a byte that does not start valid UTF-8
// counts as one byte of U+FFFD (messages are checked UTF-8, but event lines are ours).
std::pair<uint32_t, std::size_t> decodeUtf8(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || pos + length > text.size()) return {0xFFFD, 1};
    uint32_t codepoint = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80) return {0xFFFD, 1};
        codepoint = codepoint << 6 | (next & 0x3Fu);
    }
    return {codepoint, length};
}

bool fontHas(const ImFont& font, uint32_t codepoint) {
    return codepoint <= IM_UNICODE_CODEPOINT_MAX &&
           font.FindGlyphNoFallback(static_cast<ImWchar>(codepoint)) != nullptr;
}

const char* kViewLabels[] = {"Text", "Hex", "JSON"};

}  // namespace

std::string missingGlyphs(std::string_view text, const ImFont& font, std::size_t limit) {
    std::set<uint32_t> seen;
    std::string list;
    for (std::size_t pos = 0; pos < text.size() && seen.size() < limit;) {
        const auto [codepoint, length] = decodeUtf8(text, pos);
        pos += length;
        if (codepoint < 0x20 || codepoint == 0x7F || fontHas(font, codepoint)) continue;
        if (!seen.insert(codepoint).second) continue;
        char code[16];
        std::snprintf(code, sizeof code, "%sU+%04X", list.empty() ? "" : " ", codepoint);
        list += code;
    }
    return list;
}

void InspectorPanel::select(const LogEntry& entry) {
    seq_ = entry.seq;
    entry_ = entry;
    json_.reset();
    jsonError_.clear();
    if (entry.kind == LogKind::kMessage && entry.type == LogType::kText) {
        auto parsed = JsonTree::parse(entry.text());
        if (auto* tree = std::get_if<JsonTree>(&parsed))
            json_ = std::move(*tree);
        else
            jsonError_ = std::get<std::string>(parsed);
    }
    lines_.clear();
    wrappedWidth_ = -1;
    glyphCount_ = -1;
}

void InspectorPanel::draw(const LogEntry* selected) {
    if (!selected) {
        seq_.reset();
        entry_ = LogEntry();
        json_.reset();
        ImGui::TextDisabled("Select a row of the log to see it whole here.");
        WidgetMap::current().noteValue("inspector missing glyphs", "");
        return;
    }
    if (seq_ != selected->seq) select(*selected);

    ImGui::Text("Row %llu: %s %s, %zu bytes, %s", static_cast<unsigned long long>(entry_.seq),
                toString(entry_.direction), toString(entry_.type), entry_.size,
                timeOfDay(entry_.wallTime).c_str());
    // The atlas grows as text arrives: look again when the font's glyphs change.
    const ImFont* font = ImGui::GetFont();
    if (font != glyphFont_ || font->Glyphs.Size != glyphCount_) {
        glyphFont_ = font;
        glyphCount_ = font->Glyphs.Size;
        // Characters above U+FFFF are drawn through their private-use slots (fonts.h).
        std::string scratch;
        missing_ = missingGlyphs(drawableText(entry_.text(), scratch), *font);
    }
    WidgetMap::current().noteValue("inspector missing glyphs", missing_);
    if (!missing_.empty()) ImGui::TextWrapped("Missing glyphs: %s", missing_.c_str());
    if (!jsonError_.empty()) ImGui::TextWrapped("%s", jsonError_.c_str());

    drawViewSwitch();
    switch (shownView_) {
        case View::kText:
            drawText();
            break;
        case View::kHex:
            drawHex();
            break;
        case View::kJson:
            drawJson();
            break;
    }
}

void InspectorPanel::drawViewSwitch() {
    const bool isMessage = entry_.kind == LogKind::kMessage;
    const bool available[] = {entry_.type != LogType::kBinary, isMessage, json_.has_value()};
    shownView_ = available[static_cast<int>(chosen_)] ? chosen_
                 : available[0]                       ? View::kText
                                                      : View::kHex;
    for (int view = 0; view < 3; ++view) {
        if (view > 0) ImGui::SameLine();
        ImGui::BeginDisabled(!available[view]);
        if (ImGui::RadioButton(kViewLabels[view], static_cast<int>(shownView_) == view))
            chosen_ = shownView_ = static_cast<View>(view);
        noteItem(kViewLabels[view]);
        ImGui::EndDisabled();
    }
    WidgetMap::current().noteValue("inspector view", kViewLabels[static_cast<int>(shownView_)]);
}

// Wraps as Dear ImGui's TextWrapped would, once per text, width and font rather than each
// frame, so that a list clipper draws only the visible lines of a text of any size.
void InspectorPanel::wrapLines(float width) {
    const ImFont* font = ImGui::GetFont();
    if (width == wrappedWidth_ && font == wrappedFont_) return;
    wrappedWidth_ = width;
    wrappedFont_ = font;
    lines_.clear();
    const std::string_view text = entry_.text();
    const char* base = text.data();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    std::size_t lineStart = 0;
    while (true) {
        const std::size_t lineEnd = std::min(text.find('\n', lineStart), text.size());
        const char* at = base + lineStart;
        const char* end = base + lineEnd;
        do {
            const char* wrap = font->CalcWordWrapPositionA(scale, at, end, width);
            if (wrap == at && at < end) wrap = at + decodeUtf8(text, lineStart).second;
            lines_.emplace_back(at - base, wrap - base);
            at = wrap;
            while (at < end && *at == ' ') ++at;  // As TextWrapped: no blanks starting a line.
            lineStart = static_cast<std::size_t>(at - base);
        } while (at < end);
        if (lineEnd == text.size()) break;
        lineStart = lineEnd + 1;
    }
}

void InspectorPanel::drawText() {
    // Always a scrollbar: text appearing one would change the width and wrap it all again.
    ImGui::BeginChild("Inspector text", ImVec2(0, 0), false,
                      ImGuiWindowFlags_AlwaysVerticalScrollbar);
    wrapLines(ImGui::GetContentRegionAvail().x);
    const std::string_view text = entry_.text();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(lines_.size()));
    while (clipper.Step())
        for (int line = clipper.DisplayStart; line < clipper.DisplayEnd; ++line) {
            const auto [begin, end] = lines_[static_cast<std::size_t>(line)];
            std::string scratch;
            const std::string_view drawn = drawableText(text.substr(begin, end - begin), scratch);
            ImGui::TextUnformatted(drawn.data(), drawn.data() + drawn.size());
        }
    ImGui::EndChild();
}

void InspectorPanel::drawHex() {
    ImGui::BeginChild("Inspector hex", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(monospaceFont());
    const std::string_view bytes = entry_.message->data;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(hexDumpLineCount(bytes.size())));
    while (clipper.Step())
        for (int line = clipper.DisplayStart; line < clipper.DisplayEnd; ++line) {
            const std::size_t offset = static_cast<std::size_t>(line) * kHexDumpBytesPerLine;
            ImGui::TextUnformatted(hexDumpLine(bytes.substr(offset), offset).c_str());
        }
    ImGui::PopFont();
    ImGui::EndChild();
}

void InspectorPanel::drawJson() {
    ImGui::BeginChild("Inspector JSON", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(monospaceFont());
    const std::vector<std::size_t>& visible = json_->visibleNodes();
    std::optional<std::pair<std::size_t, bool>> toggled;  // Applied after the loop that reads
                                                          // the visible nodes.
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(visible.size()));
    while (clipper.Step())
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::size_t node = visible[static_cast<std::size_t>(row)];
            const float indent =
                static_cast<float>(json_->depth(node)) * ImGui::GetStyle().IndentSpacing;
            if (indent > 0) ImGui::Indent(indent);
            ImGui::PushID(static_cast<int>(node));
            ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_NoTreePushOnOpen;
            if (json_->isExpandable(node)) {
                ImGui::SetNextItemOpen(json_->isOpen(node));
            } else {
                flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_Bullet;
            }
            // No label: a value may hold "##", which a label would hide the rest after.
            const bool open = ImGui::TreeNodeEx("##node", flags);
            if (json_->isExpandable(node) && open != json_->isOpen(node)) toggled = {node, open};
            ImGui::SameLine();
            const std::string rowText = json_->rowText(node);
            std::string scratch;
            const std::string_view drawn = drawableText(rowText, scratch);
            ImGui::TextUnformatted(drawn.data(), drawn.data() + drawn.size());
            ImGui::PopID();
            if (indent > 0) ImGui::Unindent(indent);
        }
    if (toggled) json_->setOpen(toggled->first, toggled->second);
    ImGui::PopFont();
    ImGui::EndChild();
}

}  // namespace wsdemo
