// Which font a panel draws with, by role. Set by the window once its fonts are built
// (fonts.h); nullptr in headless tests, where ImGui::PushFont(nullptr) keeps the default font.
#pragma once

#include <string>
#include <string_view>

struct ImFont;

namespace wsdemo {

class AstralGlyphs;

ImFont* monospaceFont();  // Hex dumps, JSON, the log's columns.
void setMonospaceFont(ImFont* font);

// Text a peer sent, as ImGui can draw it: codepoints above U+FFFF (emoji...) rewritten to the
// Private Use Area slots whose glyphs the window's AstralGlyphs put in the atlas (see
// astral_glyphs.h). Identity while no mapping is set, as in headless tests.
std::string displayText(std::string_view utf8);
void setDisplayMapping(AstralGlyphs* mapping);
AstralGlyphs* displayMapping();  // For fromDisplay() on text copied out of a display widget.

}  // namespace wsdemo
