// Message framing shared by the client channel and the echo server. Worker threads only: every
// function here calls into libwebsockets on the thread that services the connection.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wsdemo/message.h"

struct lws;

namespace wsdemo {

// Joins the chunks and fragments that RECEIVE callbacks deliver into whole messages.
class MessageAssembler {
public:
    enum class Result { kIncomplete, kComplete, kTooBig };

    explicit MessageAssembler(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

    // Feeds one RECEIVE callback's payload. After kComplete, take() hands out the message.
    Result append(lws* wsi, const void* in, std::size_t len);
    Message take();
    // Drops a partial message (the connection ended in the middle of it).
    void reset();

private:
    const std::size_t maxMessageBytes_;
    bool inMessage_ = false;
    Message message_;
};

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
