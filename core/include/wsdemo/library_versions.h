// The versions of the libraries the core runs with, as loaded (not as built against), for
// `wsdemo --version`.
#pragma once

#include <string>

namespace wsdemo {

std::string libwebsocketsVersion();  // Such as "4.1.6".
std::string openSslVersion();        // Such as "3.0.19".

}  // namespace wsdemo
