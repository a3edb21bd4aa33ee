#include "startup.h"

#include <cstdio>
#include <stdexcept>

namespace wsdemo {

sigset_t blockStopSignals() {
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    return stopSignals;
}

std::optional<Target> startTarget(const CommandLine& command) {
    if (command.url) return Target{nullptr, *command.url};
    try {
        auto server = std::make_unique<EchoServer>();
        WsUrl url = std::get<WsUrl>(parseWsUrl(server->url()));
        return Target{std::move(server), std::move(url)};
    } catch (const std::runtime_error& error) {
        std::fprintf(stderr, "wsdemo: %s\n", error.what());
        return std::nullopt;
    }
}

}  // namespace wsdemo
