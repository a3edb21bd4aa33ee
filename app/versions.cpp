#include "versions.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "wsdemo/library_versions.h"

namespace wsdemo {

namespace {

std::string dotted(int major, int minor, int patch) {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::string glfwVersion() {
    int major = 0, minor = 0, revision = 0;
    glfwGetVersion(&major, &minor, &revision);  // Allowed before glfwInit().
    return dotted(major, minor, revision);
}

std::string freeTypeVersion() {
    FT_Library library = nullptr;
    if (FT_Init_FreeType(&library) != 0) return "(cannot be loaded)";
    FT_Int major = 0, minor = 0, patch = 0;
    FT_Library_Version(library, &major, &minor, &patch);
    FT_Done_FreeType(library);
    return dotted(major, minor, patch);
}

std::string fontconfigVersion() {
    const int version = FcGetVersion();  // major * 10000 + minor * 100 + revision.
    return dotted(version / 10000, version / 100 % 100, version % 100);
}

}  // namespace

std::string versionText() {
    return "wsdemo " WSDEMO_VERSION "\nlibwebsockets " + libwebsocketsVersion() + "\nOpenSSL " +
           openSslVersion() + "\nDear ImGui " + ImGui::GetVersion() + "\nGLFW " + glfwVersion() +
           "\nFreeType " + freeTypeVersion() + "\nfontconfig " + fontconfigVersion();
}

}  // namespace wsdemo
