#include "layout.h"

#include <algorithm>

namespace wsdemo {

namespace {

// Narrower than this, wrapped text reads a word or two a line.
constexpr float kNarrowestColumnInFonts = 12.0f;

}  // namespace

void sameLineIfRoomFor(float width) {
    const float end = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
    if (end <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

void wrappedText(const ImVec4& color, const std::string& text) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(color, "%s", text.c_str());
    ImGui::PopTextWrapPos();
}

void textBeside(const ImVec4& color, const std::string& text) {
    const float narrowest = kNarrowestColumnInFonts * ImGui::GetFontSize();
    sameLineIfRoomFor(std::min(ImGui::CalcTextSize(text.c_str()).x, narrowest));
    wrappedText(color, text);
}

std::string fitWithEllipsis(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const char* const kEllipsis = "\u2026";  // Baked from the start (fonts.cpp's base ranges).
    const float room = width - ImGui::CalcTextSize(kEllipsis).x;
    const char* const begin = text.c_str();
    const char* end = begin;
    // Given a maximum width, Dear ImGui stops measuring before the first character past it.
    if (room > 0)
        ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), room, 0.0f, begin,
                                        begin + text.size(), &end);
    while (end > begin && end[-1] == ' ') --end;
    return std::string(begin, end) + kEllipsis;
}

}  // namespace wsdemo
