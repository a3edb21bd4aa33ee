// Message framing shared by the client channel and the echo server. Worker threads only: every
// function here calls into libwebsockets on the thread that services the connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wsdemo/message.h"
#include "wsdemo/text.h"

struct lws;

namespace wsdemo {

// Joins the chunks and fragments that RECEIVE callbacks deliver into whole messages.
class MessageAssembler {
public:
    enum class Result { kIncomplete, kComplete, kTooBig, kInvalidUtf8 };

    explicit MessageAssembler(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

    // Feeds one RECEIVE callback's payload. After kComplete, take() hands out the message.
    // kTooBig comes as soon as a frame header announces more than the limit allows, and
    // kInvalidUtf8 at the first bad byte of a text message.
    Result append(lws* wsi, const void* in, std::size_t len);
    Message take();
    // Drops a partial message (the connection ended in the middle of it).
    void reset();

private:
    const std::size_t maxMessageBytes_;
    bool inMessage_ = false;
    Message message_;
    Utf8Validator utf8_;  // Text messages only.
};

// Sets the close frame that lws sends when the callback returns this -1.
int closeWith(lws* wsi, uint16_t code, std::string_view reason);

// The write loop that the client and the echo server both run in WRITEABLE: messages one
// after another, each in fragments of at most kChunkBytes (a 16 MiB message neither blocks
// the worker nor makes libwebsockets copy it whole), up to kFramesPerWriteable frames a
// callback. lws allows more than one write a callback while none is left partly buffered
// (lws_partial_buffered()): a burst of small messages costs one poll round, not one each.
class MessageWriter {
public:
    static constexpr std::size_t kChunkBytes = 64 * 1024;
    static constexpr int kFramesPerWriteable = 64;

    // Hands out the next message to write, or null when none is waiting.
    using Next = std::function<MessagePtr()>;
    // Told of each message whose last byte went to lws.
    using Written = std::function<void(const MessagePtr&)>;

    enum class Result {
        kIdle,    // Everything handed out is written: ask for WRITEABLE when more comes.
        kMore,    // Call again at the next WRITEABLE (the caller asks for it).
        kFailed,  // lws_write() failed: the connection is gone, return -1.
    };

    Result write(lws* wsi, const Next& next, const Written& written);
    // A message is partly written: a close frame must wait until it is done.
    bool busy() const { return current_ != nullptr; }
    // The connection ended: drop the message in progress.
    void reset() { current_.reset(); }

private:
    bool writeNextChunk(lws* wsi);  // False if the connection failed.

    MessagePtr current_;       // Shared with the queue's owner: never copied whole.
    std::size_t offset_ = 0;   // Bytes of current_ written.
    std::vector<unsigned char> chunk_;  // LWS_PRE bytes of headroom, then one chunk.
};

}  // namespace wsdemo
