// Message framing shared by the client channel and the echo server. Worker threads only: every
// function here calls into libwebsockets on the thread that services the connection.
#pragma once

#include <cstddef>
#include <cstdint>
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

// Frames written in one WRITEABLE callback at most. lws allows more than one while none is
// left partly buffered (lws_partial_buffered()): a burst of small messages then costs one
// poll round, not one each.
constexpr int kFramesPerWriteable = 64;

// Writes one message from WRITEABLE callbacks, in fragments of at most kChunkBytes so that a
// 16 MiB message neither blocks the worker nor makes libwebsockets copy it whole.
class OutgoingMessage {
public:
    static constexpr std::size_t kChunkBytes = 64 * 1024;

    explicit OutgoingMessage(const Message& message);

    // Writes the next fragment. Returns false if the connection failed.
    bool writeNextChunk(lws* wsi);
    bool done() const { return finished_; }

private:
    Message::Type type_;
    std::vector<unsigned char> buffer_;  // LWS_PRE bytes of headroom, then the payload.
    std::size_t size_;
    std::size_t offset_ = 0;
    bool finished_ = false;  // The final fragment was written (an empty message has one too).
};

}  // namespace wsdemo
