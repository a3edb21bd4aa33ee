#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

#include "wsdemo/logging.h"

// WSDEMO_LWS_LOG=1 shows libwebsockets' own log lines while debugging a test.
int main(int argc, char* argv[]) {
    wsdemo::setLibraryLogging(std::getenv("WSDEMO_LWS_LOG") != nullptr);
    return Catch::Session().run(argc, argv);
}
