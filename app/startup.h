// Start-up steps the modes share.
#pragma once

#include <signal.h>

#include <memory>
#include <optional>

#include "cli.h"
#include "wsdemo/echo_server.h"
#include "wsdemo/url.h"

namespace wsdemo {

// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts later, so that
// they reach only sigwait() or a signalfd. Call before any thread starts. Returns the set.
sigset_t blockStopSignals();

// Where to connect: the --url given, or an echo server started here (kept alive by this).
struct Target {
    std::unique_ptr<EchoServer> embeddedServer;
    WsUrl url;
};

// Nullopt, after saying why on stderr, if the embedded server could not start.
std::optional<Target> startTarget(const CommandLine& command);

}  // namespace wsdemo
