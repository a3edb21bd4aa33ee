// Dark and light looks, scaled for the screen, and the few colours the app gives meaning to.
#pragma once

#include <imgui.h>

#include "settings.h"  // Theme

namespace wsdemo {

// Which way a log row went.
enum class RowDirection { kIncoming, kOutgoing, kEvent };

// Replaces the current context's style with the theme's colours and Dear ImGui's default sizes
// times `scale` (the window's content scale): applying it again never scales twice.
void applyStyle(Theme theme, float scale);

// Which theme the current style has (applyStyle's), for panels that are not told.
Theme themeInUse();

// Red for warnings, errors and unsafe settings, readable on the theme's background.
ImVec4 warningColor(Theme theme);

// Orange for what is allowed but unusual (a close frame only a broken client would send),
// told apart from warningColor's red and readable on the theme's background.
ImVec4 cautionColor(Theme theme);

// Text colour of a log row by direction: received, sent, state change / ping / pong.
ImVec4 directionColor(Theme theme, RowDirection direction);

}  // namespace wsdemo
