// Latest message, pinned under the composer as in the cookbook: the last message received,
// previewed in a few lines of fixed height so the log below keeps its place.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wsdemo/message.h"

namespace wsdemo {

class LatestPanel {
public:
    // Text messages longer than this show their beginning and their size; the message itself
    // is never cut. Four vertices a glyph: 4 KiB stays well inside a draw list's 64K vertices.
    static constexpr std::size_t kPreviewBytes = 4 * 1024;
    // Binary messages show their first bytes as hex.
    static constexpr std::size_t kHexPreviewBytes = 256;

    // `received`: messages received so far, of which `latest` is the last.
    void draw(const MessagePtr& latest, std::uint64_t received);

    // Messages drawn as the latest. Under a flood most are replaced within a frame: received
    // minus shown were never on screen here (they were received, and the log has them).
    std::uint64_t shown() const { return shown_; }

private:
    std::uint64_t shown_ = 0;
    MessagePtr lastShown_;
};

}  // namespace wsdemo
