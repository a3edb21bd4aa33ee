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

void textBeside(const ImVec4& color, const std::string& text) {
    const float narrowest = kNarrowestColumnInFonts * ImGui::GetFontSize();
    sameLineIfRoomFor(std::min(ImGui::CalcTextSize(text.c_str()).x, narrowest));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(color, "%s", text.c_str());
    ImGui::PopTextWrapPos();
}

}  // namespace wsdemo
