#include "theme.h"

namespace wsdemo {

void applyStyle(Theme theme, float scale) {
    ImGuiStyle style;  // Fresh: ScaleAllSizes on the current style would compound.
    if (theme == Theme::kDark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

Theme themeInUse() {
    const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    return background.x + background.y + background.z < 1.5f ? Theme::kDark : Theme::kLight;
}

// Colours chosen for a contrast ratio of at least 4.5:1 (WCAG AA) against each theme's window
// background (dark: #0F0F0F, light: #F0F0F0).
ImVec4 warningColor(Theme theme) {
    return theme == Theme::kDark ? ImVec4(1.00f, 0.45f, 0.40f, 1.0f)   // #FF7366
                                 : ImVec4(0.70f, 0.05f, 0.05f, 1.0f);  // #B30D0D
}

ImVec4 cautionColor(Theme theme) {
    return theme == Theme::kDark ? ImVec4(1.00f, 0.75f, 0.30f, 1.0f)   // #FFBF4D
                                 : ImVec4(0.55f, 0.33f, 0.00f, 1.0f);  // #8C5400
}

ImVec4 directionColor(Theme theme, RowDirection direction) {
    const bool dark = theme == Theme::kDark;
    switch (direction) {
        case RowDirection::kIncoming:  // Green.
            return dark ? ImVec4(0.45f, 0.85f, 0.45f, 1.0f) : ImVec4(0.05f, 0.45f, 0.05f, 1.0f);
        case RowDirection::kOutgoing:  // Blue.
            return dark ? ImVec4(0.45f, 0.70f, 1.00f, 1.0f) : ImVec4(0.05f, 0.25f, 0.70f, 1.0f);
        case RowDirection::kEvent:  // Grey.
            break;
    }
    return dark ? ImVec4(0.70f, 0.70f, 0.70f, 1.0f) : ImVec4(0.35f, 0.35f, 0.35f, 1.0f);
}

}  // namespace wsdemo
