// The window's icon (_NET_WM_ICON on X11), rendered from assets/wsdemo.svg at build time.
#pragma once

struct GLFWwindow;

namespace wsdemo {

void setWindowIcon(GLFWwindow* window);

}  // namespace wsdemo
