// The command line: what the user asked for, or one line saying what is wrong with it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "wsdemo/channel.h"
#include "wsdemo/mock_rules.h"

namespace wsdemo {

struct CommandLine {
    enum class Mode { kWindow, kHeadless, kEchoServer, kHelp, kVersion };
    Mode mode = Mode::kWindow;
    // As given, and valid for parseWsUrl(). None: start the embedded echo server and connect
    // to it.
    std::optional<std::string> url;
    ConnectOptions connect;  // Every client option (the window and --headless).
    bool slash = false;      // --headless: stdin lines starting with '/' are commands.
    // --echo-server only.
    uint16_t port = 0;  // 0 picks a free port.
    std::string bindAddress = "127.0.0.1";
    std::string tlsCert, tlsKey;             // Both or neither: serve wss://.
    std::string rulesFile;                   // --rules: answer as it says (mock_rules.h).
    std::shared_ptr<const MockRules> rules;  // Read from rulesFile, checked.
    // Upgraded connections silent this long are closed. Zero: never.
    std::chrono::milliseconds idleTimeout{300000};
    // Both directions, client and echo server (also in connect.maxMessageBytes).
    std::size_t maxMessageBytes = 16u << 20;
    bool verbose = false;             // libwebsockets' own log lines on stderr.
    bool stats = false;               // Window: print frame and latency figures at exit.
    bool redrawContinuously = false;  // Window: never wait for events (a benchmark baseline).
};

using CommandLineResult = std::variant<CommandLine, std::string>;

// Never prints and never exits: --help and --version come back as modes, errors as one line
// of printable ASCII.
CommandLineResult parseCommandLine(int argc, const char* const argv[]);

std::string usageText();

}  // namespace wsdemo
