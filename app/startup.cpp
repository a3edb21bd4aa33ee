#include "startup.h"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include "wsdemo/url.h"

namespace wsdemo {

sigset_t blockStopSignals() {
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    return stopSignals;
}

std::unique_ptr<EchoServer> startEmbeddedServer(const CommandLine& command,
                                                std::shared_ptr<const MockRules> rules) {
    EchoServerOptions options;
    options.maxMessageBytes = command.maxMessageBytes;
    options.rules = std::move(rules);
    return std::make_unique<EchoServer>(options);
}

std::optional<Target> startTarget(const CommandLine& command,
                                  std::shared_ptr<const MockRules> rules) {
    if (command.url) return Target{nullptr, *command.url};
    try {
        auto server = startEmbeddedServer(command, std::move(rules));
        std::string url = server->url();
        return Target{std::move(server), std::move(url)};
    } catch (const std::runtime_error& error) {
        std::fprintf(stderr, "wsdemo: %s\n", error.what());
        return std::nullopt;
    }
}

ConnectOptions channelOptions(const CommandLine& command) {
    ConnectOptions options = command.connect;
    options.maxMessageBytes = command.maxMessageBytes;
    return options;
}

std::string securityNotice(const TlsOptions& tls, const std::string& url) {
    const UrlParseResult parsed = parseWsUrl(url);
    const auto* wsUrl = std::get_if<WsUrl>(&parsed);
    if (!wsUrl || !wsUrl->secure) return {};
    if (!tls.verifyCertificate && !tls.verifyHostname)
        return "TLS certificate and host name verification are OFF";
    if (!tls.verifyCertificate) return "TLS certificate verification is OFF";
    if (!tls.verifyHostname) return "TLS host name verification is OFF";
    return {};
}

}  // namespace wsdemo
