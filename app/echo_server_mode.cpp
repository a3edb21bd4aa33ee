#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "modes.h"
#include "startup.h"
#include "wsdemo/echo_server.h"

namespace wsdemo {

int runEchoServer(const CommandLine& command) {
    // Before the server's thread starts, so that only sigwait() below receives them.
    const sigset_t stopSignals = blockStopSignals();

    EchoServerOptions options;
    options.port = command.port;
    options.bindAddress = command.bindAddress;
    options.maxMessageBytes = command.maxMessageBytes;
    options.tlsCertFile = command.tlsCert;
    options.tlsKeyFile = command.tlsKey;
    options.idleTimeout = command.idleTimeout;
    options.rules = command.rules;
    if (!isLoopbackAddress(options.bindAddress))
        std::fprintf(stderr,
                     "wsdemo: warning: listening on %s, which other machines can reach: anyone "
                     "there can use this echo server\n",
                     options.bindAddress.c_str());
    try {
        EchoServer server(options);
        std::printf("%s\n", server.url().c_str());
        std::fflush(stdout);
        std::fprintf(stderr, "wsdemo: echo server listening on %s; stop it with Ctrl+C\n",
                     server.url().c_str());
        if (options.rules)
            std::fprintf(stderr, "wsdemo: answering by %zu rule%s from %s\n",
                         options.rules->rules.size(), options.rules->rules.size() == 1 ? "" : "s",
                         command.rulesFile.c_str());
        int signal = 0;
        sigwait(&stopSignals, &signal);
        std::fprintf(stderr, "wsdemo: stopping the echo server\n");
        server.stop();
    } catch (const std::runtime_error& error) {
        std::fprintf(stderr, "wsdemo: %s\n", error.what());
        return ExitStatus::kFailure;
    }
    return ExitStatus::kOk;
}

}  // namespace wsdemo
