// Placing items on a panel whose width the user sets: what goes beside what, and what wraps.
#pragma once

#include <imgui.h>

#include <string>

namespace wsdemo {

// The next item goes on the line of the last one when `width` more fits there, else below.
void sameLineIfRoomFor(float width);

// `text` in `color`, wrapped at the panel's edge.
void wrappedText(const ImVec4& color, const std::string& text);

// `text` in `color` beside the last item, wrapped at the panel's edge; below it instead when
// the text would wrap into a column too narrow to read.
void textBeside(const ImVec4& color, const std::string& text);

// `text` if it fits in `width`, else as much of it as fits followed by an ellipsis (U+2026),
// cut between characters and without a space before the ellipsis; the ellipsis alone when
// nothing else fits.
std::string fitWithEllipsis(const std::string& text, float width);

}  // namespace wsdemo
