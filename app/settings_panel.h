// The settings panel: the options of the next Connect, the theme and the log's limits. Each
// input is checked as typed; what does not pass shows why in red and is not applied.
// Plain Dear ImGui calls, drawn into the current window by the App.
#pragma once

#include <string>
#include <vector>

#include "settings.h"
#include "wsdemo/channel.h"

namespace wsdemo {

class SettingsPanel {
public:
    // Edits `settings`; true when the user changed them this frame (the App then saves).
    // `inUse`: the options of the connection now connecting or open, or null; its unsafe
    // switches (TLS verification off, pings unanswered) are shown in red.
    bool draw(Settings& settings, const ConnectOptions* inUse);

    // An input's state between frames: the text as typed, kept while it does not pass.
    struct Field {
        std::string text;
        std::string error;    // Why `text` was not applied; empty when it was.
        std::string applied;  // The setting, formatted, when `text` last matched it.
    };

private:
    bool drawConnection(ConnectOptions& options, const ConnectOptions* inUse);
    bool drawReconnect(ReconnectOptions& options);
    bool drawTls(TlsOptions& options, const ConnectOptions* inUse);
    bool drawLooks(Settings& settings);

    Field subprotocols_, headers_, origin_, connectTimeout_, maxMessageBytes_, pingInterval_;
    Field minDelay_, maxDelay_, maxAttempts_;
    Field caFile_, certFile_, keyFile_;
    Field logRows_, logMiB_;
    std::vector<std::string> unsafeInUse_;  // This frame's switches off in the connection in use.
};

}  // namespace wsdemo
