// The connection bar at the top of the window: `URL` with its history, Connect / Disconnect /
// Cancel, `Echo server`, and a badge saying where the connection is. Plain Dear ImGui calls,
// drawn into the current window; it returns actions and never calls the channel.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actions.h"
#include "wsdemo/channel.h"

namespace wsdemo {

// A reconnect the channel announced, and when it is due (the event's time plus its delay).
struct PendingReconnect {
    ReconnectScheduled scheduled;
    SteadyClock::time_point due;
};

// The badge's text: "Connecting: TLS handshake", "Open (subprotocol chat)", "Closing",
// "Closed: 1000 normal closure", "Failed: tcp: Unable to connect", "Not connected", or while a
// reconnect is pending "Reconnecting in 3.2 s (attempt 4)" (tenths rounded up, never below 0).
std::string connectionBadge(const ChannelStatus& status,
                            const std::optional<PendingReconnect>& reconnect,
                            SteadyClock::time_point now);

class ConnectionBar {
public:
    explicit ConnectionBar(std::string url) : url_(std::move(url)) {}

    // `closeChoice` is what Disconnect sends (the close panel's code and reason).
    std::optional<Action> draw(const ChannelStatus& status,
                               const std::optional<PendingReconnect>& reconnect,
                               SteadyClock::time_point now,
                               const std::vector<std::string>& urlHistory,
                               const DisconnectAction& closeChoice);

    // When the countdown drawn last changes its text; none when no reconnect is counting down.
    // The window redraws only on input or news: it must wait no longer than this.
    std::optional<SteadyClock::time_point> nextTick(SteadyClock::time_point now) const;

    // Puts the keyboard focus in `URL` on the next frame (Ctrl+L).
    void focusUrl() { focusUrl_ = true; }
    const std::string& url() const { return url_; }
    void setUrl(std::string url) { url_ = std::move(url); }

private:
    bool drawUrl();  // True when Enter was pressed in it.
    void drawHistory(const std::vector<std::string>& urlHistory);
    void drawBadge(const ChannelStatus& status, const std::optional<PendingReconnect>& reconnect,
                   SteadyClock::time_point now);

    std::string url_;
    bool focusUrl_ = false;
    std::optional<SteadyClock::time_point> countdownDue_;  // Of the reconnect drawn last.
};

}  // namespace wsdemo
