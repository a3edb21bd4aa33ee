#include "wsdemo/library_versions.h"

#include <libwebsockets.h>
#include <openssl/crypto.h>

namespace wsdemo {

std::string libwebsocketsVersion() {
    // Version, '-', build hash; Debian's build has no hash, which leaves "4.1.6-".
    std::string version = lws_get_library_version();
    if (!version.empty() && version.back() == '-') version.pop_back();
    return version;
}

std::string openSslVersion() {
    return OpenSSL_version(OPENSSL_FULL_VERSION_STRING);
}

}  // namespace wsdemo
