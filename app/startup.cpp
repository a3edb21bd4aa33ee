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
        EchoServerOptions options;
        options.maxMessageBytes = command.maxMessageBytes;
        auto server = std::make_unique<EchoServer>(options);
        WsUrl url = std::get<WsUrl>(parseWsUrl(server->url()));
        return Target{std::move(server), std::move(url)};
    } catch (const std::runtime_error& error) {
        std::fprintf(stderr, "wsdemo: %s\n", error.what());
        return std::nullopt;
    }
}

ConnectOptions channelOptions(const CommandLine& command) {
    ConnectOptions options;
    options.maxMessageBytes = command.maxMessageBytes;
    options.tls.verifyCertificate = command.verifyTlsCertificate;
    options.tls.verifyHostname = command.verifyTlsHostname;
    return options;
}

std::string securityNotice(const CommandLine& command, const WsUrl& url) {
    if (!url.secure) return {};
    if (!command.verifyTlsCertificate && !command.verifyTlsHostname)
        return "TLS certificate and host name verification are OFF";
    if (!command.verifyTlsCertificate) return "TLS certificate verification is OFF";
    if (!command.verifyTlsHostname) return "TLS host name verification is OFF";
    return {};
}

}  // namespace wsdemo
