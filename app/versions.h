// `wsdemo --version`: ours, then those of the libraries it runs with, as `curl --version` does.
#pragma once

#include <string>

namespace wsdemo {

// "wsdemo 0.9.0" on the first line, then one "Library version" line each for libwebsockets,
// OpenSSL, Dear ImGui, GLFW, FreeType and fontconfig. No trailing newline.
std::string versionText();

}  // namespace wsdemo
