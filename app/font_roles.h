// Which font a panel draws with, by role. Set by the window once its fonts are built
// (fonts.h); nullptr in headless tests, where ImGui::PushFont(nullptr) keeps the default font.
#pragma once

struct ImFont;

namespace wsdemo {

ImFont* monospaceFont();  // Hex dumps, JSON, the log's columns.
void setMonospaceFont(ImFont* font);

}  // namespace wsdemo
