// The window's one panel, as in the cookbook: an input, a Send button and the latest message.
// Plain Dear ImGui calls, no backend: tests draw it in a headless ImGui context.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/message.h"

namespace wsdemo {

class ChatView {
public:
    // Text messages longer than this show their beginning and their size; the message itself
    // is never cut. Four vertices a glyph: 4 KiB stays well inside a draw list's 64K vertices.
    static constexpr std::size_t kPreviewBytes = 4 * 1024;

    // A non-empty notice (e.g. TLS verification turned off) stays on screen, in red.
    explicit ChatView(std::string notice = {}) : notice_(std::move(notice)) {}

    // Every event the channel drained, in order, before the frame that draws them.
    // True when any of them changes what the panel draws: keepalive pings and pongs, and
    // messages written, do not, so they need no redraw.
    bool onEvents(const std::vector<ChannelEvent>& events);
    void onSendResult(SendResult result);

    // Draws one frame's panel over the whole viewport (call between NewFrame and Render).
    // Returns the input's text when Send or Enter was pressed with something typed.
    std::optional<std::string> draw(const ChannelStatus& status, const MessagePtr& latest);

    std::uint64_t received() const { return received_; }
    std::uint64_t shown() const { return shown_; }
    // The connection dropped and the channel will try again: sends are still queued.
    bool reconnectDue() const { return reconnect_.has_value(); }

private:
    void drawLatest(const MessagePtr& latest) const;

    const std::string notice_;
    std::string input_;
    std::uint64_t received_ = 0;
    // Messages the panel drew as the latest. Under a flood most are replaced within a frame:
    // received_ - shown_ of them were never on screen (the data is not lost: it was received).
    std::uint64_t shown_ = 0;
    MessagePtr lastShown_;
    std::optional<ReconnectScheduled> reconnect_;  // Until the next attempt starts.
    std::string sendError_;   // Why the last send was refused; empty when it was not.
    bool focusInput_ = true;  // Put the keyboard focus in the input on the next frame.
};

}  // namespace wsdemo
