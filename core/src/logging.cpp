#include "wsdemo/logging.h"

#include <libwebsockets.h>

namespace wsdemo {

void setLibraryLogging(bool verbose) {
    lws_set_log_level(verbose ? LLL_ERR | LLL_WARN | LLL_NOTICE : 0, nullptr);
}

}  // namespace wsdemo
