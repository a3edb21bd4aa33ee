#include "font_roles.h"

#include "astral_glyphs.h"

namespace wsdemo {

namespace {
ImFont* monospace = nullptr;            // UI thread only.
AstralGlyphs* astralMapping = nullptr;  // UI thread only.
}  // namespace

ImFont* monospaceFont() {
    return monospace;
}
void setMonospaceFont(ImFont* font) {
    monospace = font;
}

std::string displayText(std::string_view utf8) {
    return astralMapping ? astralMapping->toDisplay(utf8) : std::string(utf8);
}
void setDisplayMapping(AstralGlyphs* mapping) {
    astralMapping = mapping;
}
AstralGlyphs* displayMapping() {
    return astralMapping;
}

}  // namespace wsdemo
