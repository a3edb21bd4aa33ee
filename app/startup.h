// Start-up steps the modes share.
#pragma once

#include <signal.h>

#include <memory>
#include <optional>
#include <string>

#include "cli.h"
#include "wsdemo/channel.h"
#include "wsdemo/echo_server.h"

namespace wsdemo {

// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts later, so that
// they reach only sigwait() or a signalfd. Call before any thread starts. Returns the set.
sigset_t blockStopSignals();

// Where to connect: the URL given, or an echo server started here (kept alive by this).
struct Target {
    std::unique_ptr<EchoServer> embeddedServer;
    std::string url;
};

// The echo server the window and its `Echo server` button start, on 127.0.0.1 with the command
// line's message size limit, answering by `rules` (null: echoing). Throws std::runtime_error as
// EchoServer does.
std::unique_ptr<EchoServer> startEmbeddedServer(const CommandLine& command,
                                                std::shared_ptr<const MockRules> rules = nullptr);

// Nullopt, after saying why on stderr, if the embedded server could not start.
std::optional<Target> startTarget(const CommandLine& command,
                                  std::shared_ptr<const MockRules> rules = nullptr);

// Every client option of the command line, for Channel::connect().
ConnectOptions channelOptions(const CommandLine& command);

// "TLS certificate verification is OFF" and the like while a check is turned off for a
// wss:// URL; empty otherwise.
std::string securityNotice(const TlsOptions& tls, const std::string& url);

}  // namespace wsdemo
