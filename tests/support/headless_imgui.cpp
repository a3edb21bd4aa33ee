#include "headless_imgui.h"

#include <algorithm>
#include <stdexcept>

namespace wsdemo::test {

HeadlessImGui::HeadlessImGui(ImVec2 displaySize) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = displaySize;
    io.DeltaTime = 1.0f / 60.0f;
    // 1.86's key input: KeyMap[ImGuiKey_X] names an index of KeysDown. Identity is enough here.
    for (int key = 0; key < ImGuiKey_COUNT; ++key) io.KeyMap[key] = key;
    unsigned char* pixels;
    int width, height;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
}

HeadlessImGui::~HeadlessImGui() {
    ImGui::DestroyContext();
}

void HeadlessImGui::frame(const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    if (pendingKey_ >= 0) io.KeysDown[pendingKey_] = true;
    ImGui::NewFrame();
    WidgetMap::current().beginFrame();
    draw();
    ImGui::Render();
    if (pendingKey_ >= 0) io.KeysDown[pendingKey_] = false;
    pendingKey_ = -1;
    io.KeyShift = io.KeyCtrl = false;
}

void HeadlessImGui::panelWindow(const char* name, const std::function<void()>& contents) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoDecoration);
    contents();
    ImGui::End();
}

float HeadlessImGui::overflowX() {
    return std::max(0.0f, ImGui::GetScrollMaxX() - 1.0f);
}

void HeadlessImGui::type(const std::string& utf8) {
    ImGui::GetIO().AddInputCharactersUTF8(utf8.c_str());
}

void HeadlessImGui::press(int key, bool shift, bool ctrl) {
    ImGuiIO& io = ImGui::GetIO();
    pendingKey_ = key;  // KeyMap is the identity (see the constructor); letters are above it.
    io.KeyShift = shift;
    io.KeyCtrl = ctrl;
}

void HeadlessImGui::click(const std::string& label, const std::function<void()>& draw) {
    const auto& items = WidgetMap::current().items();
    const auto found = items.find(label);
    if (found == items.end()) throw std::runtime_error("no widget noted as '" + label + "'");
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(found->second.centerX(), found->second.centerY());
    frame(draw);  // Hover first: Dear ImGui activates what the mouse was over when pressed.
    io.MouseDown[0] = true;
    frame(draw);
    io.MouseDown[0] = false;
    frame(draw);
}

}  // namespace wsdemo::test
