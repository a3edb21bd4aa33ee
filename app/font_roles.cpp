#include "font_roles.h"

namespace wsdemo {

namespace {
ImFont* monospace = nullptr;  // UI thread only.
}

ImFont* monospaceFont() {
    return monospace;
}
void setMonospaceFont(ImFont* font) {
    monospace = font;
}

}  // namespace wsdemo
