// The command line: what the user asked for, or one line saying what is wrong with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "wsdemo/url.h"

namespace wsdemo {

struct CommandLine {
    enum class Mode { kWindow, kHeadless, kEchoServer, kHelp, kVersion };
    Mode mode = Mode::kWindow;
    std::optional<WsUrl> url;  // None: start the embedded echo server and connect to it.
    uint16_t port = 0;         // --echo-server only; 0 picks a free port.
    std::string bindAddress = "127.0.0.1";    // --echo-server only.
    std::size_t maxMessageBytes = 16u << 20;  // Both directions, client and echo server.
    bool verifyTlsCertificate = true;         // wss:// only.
    bool verifyTlsHostname = true;
    bool verbose = false;             // libwebsockets' own log lines on stderr.
    bool stats = false;               // Window: print frame and latency figures at exit.
    bool redrawContinuously = false;  // Window: never wait for events (a benchmark baseline).
};

using CommandLineResult = std::variant<CommandLine, std::string>;

CommandLineResult parseCommandLine(int argc, const char* const argv[]);

std::string usageText();
std::string versionText();

}  // namespace wsdemo
