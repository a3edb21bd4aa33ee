// Message framing shared by the client channel and the echo server. Worker threads only: every
// function here calls into libwebsockets on the thread that services the connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
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
    bool compressed_ = false;  // permessage-deflate compressed the message in progress.
    Message message_;
    Utf8Validator utf8_;  // Text messages only.
};

// Sets the close frame that lws sends when the callback returns this -1.
int closeWith(lws* wsi, uint16_t code, std::string_view reason);

// What libwebsockets reads and sends at most per system call on every connection here:
// initContextInfo() sets it as the context's pt_serv_buf_size, which lws uses for both while the
// protocols leave tx_packet_size at 0 (keep it so). lws's default, 4,096, cost a 16 MiB message
// 4,079 send() calls and as many poll rounds. The client's protocol sets rx_buffer_size to
// kClientReceiveChunkBytes: lws 4.1.6's client hands on a frame's payload only when that buffer
// is full or the frame ends, and a header that claims more than the limit must fail the
// connection after a few KiB, not after kSocketChunkBytes.
constexpr std::size_t kSocketChunkBytes = 256 * 1024;
constexpr std::size_t kClientReceiveChunkBytes = 4 * 1024;

// Data frames as RFC 6455 section 5.2 lays them out: the pure part of MessageWriter, which
// builds frames itself (see there).
namespace wsframe {
enum class Opcode : uint8_t { kContinuation = 0x0, kText = 0x1, kBinary = 0x2 };
constexpr std::size_t kMaxHeaderBytes = 14;  // 2, 8 bytes of length, 4 of mask key.
using MaskKey = std::array<unsigned char, 4>;

// Writes the header of a frame carrying `payloadBytes` into `out` (kMaxHeaderBytes of room),
// with the shortest length encoding; with a mask key (every client frame) the mask bit and the
// key. Returns the header's size.
std::size_t writeHeader(unsigned char* out, Opcode opcode, bool final, uint64_t payloadBytes,
                        const MaskKey* maskKey);

// Copies `size` bytes to `out`, XORed with the key as section 5.3 says (byte i with key[i % 4]).
void copyMasked(unsigned char* out, const unsigned char* in, std::size_t size, const MaskKey& key);

// Mask keys from the kernel's CSPRNG (getrandom), fetched a pool at a time instead of one
// /dev/urandom read per frame as lws does.
class MaskKeys {
public:
    // False only if getrandom() failed, which leaves no unpredictable key to send.
    bool next(MaskKey& key);

private:
    std::array<unsigned char, 1024> pool_{};
    std::size_t used_ = pool_.size();
};
}  // namespace wsframe

// The write loop that the client and the echo server both run in WRITEABLE: messages one after
// another, in frames of at most kFramePayloadBytes, so that a 16 MiB message neither blocks the
// worker nor is ever copied whole.
//
// Frames are built, and for a client masked, here, and as many whole frames as fit in
// kSocketChunkBytes go to lws in one lws_write(LWS_WRITE_HTTP) a callback: on a WebSocket
// connection lws then sends the bytes as they are (rops_write_role_protocol_ws() jumps to
// send_raw), still through its TLS and its buffering of short sends. lws's own framing, one
// frame and one send() per lws_write(), with the mask XORed byte by byte and /dev/urandom read
// per frame, cost a burst of 32-byte messages one system call each. Three rules keep the raw
// path within what lws expects: each lws_write() carries whole frames, since lws may send its
// own pong or close between two writes; no write while lws still holds part of an earlier one
// (lws_partial_buffered()); and, while permessage-deflate is active on the connection, only
// empty messages, uncompressed (lws 4.1.6 aborts compressing one). Other messages lws then
// compresses and frames itself, one fragment a callback: while it drains compressed output it
// turns the next write into a continuation, and new input aborts it.
//
// The client masks (Role::kClient, the default), the echo server must not (Role::kServer).
class MessageWriter {
public:
    enum class Role {
        kClient,  // Masks every frame (RFC 6455 5.3).
        kServer,
    };
    static constexpr std::size_t kFramePayloadBytes = kSocketChunkBytes - wsframe::kMaxHeaderBytes;

    // Hands out the next message to write, or null when none is waiting.
    using Next = std::function<MessagePtr()>;
    // Told of each message whose last byte went to lws.
    using Written = std::function<void(const MessagePtr&)>;

    enum class Result {
        kIdle,    // Everything handed out is on the socket, none held in lws: ask for WRITEABLE
                  // when more comes; a close frame may go now.
        kMore,    // Call again at the next WRITEABLE (the caller asks for it).
        kFailed,  // lws_write() failed: the connection is gone, return -1.
    };

    explicit MessageWriter(Role role) : role_(role) {}

    Result write(lws* wsi, const Next& next, const Written& written);
    // A message is partly written: a close frame must wait. Meant for the start of WRITEABLE,
    // where lws holds nothing back (it sends what it buffered after a short send before it
    // calls WRITEABLE again); later in the callback, kIdle is what says so.
    bool busy() const { return current_ != nullptr; }
    // The connection ended: drop the message in progress.
    void reset();

private:
    bool takeNext(const Next& next);  // False when no message is waiting.
    Result writeRaw(lws* wsi, const Next& next, const Written& written, bool compressed);
    bool appendFrame(std::size_t payloadBytes);  // False if no mask key could be had.
    Result writeFragmentThroughLws(lws* wsi, const Written& written);

    const Role role_;
    MessagePtr current_;      // Shared with the queue's owner: never copied whole.
    std::size_t offset_ = 0;  // Bytes of current_ framed.
    // Raw path: whole frames for one lws_write() (kSocketChunkBytes, made at the first write),
    // and the messages they finish.
    std::unique_ptr<unsigned char[]> batch_;
    std::size_t batchBytes_ = 0;
    std::vector<MessagePtr> finished_;
    wsframe::MaskKeys maskKeys_;
    // lws path: LWS_PRE bytes of headroom, then one fragment.
    std::vector<unsigned char> chunk_;
};

}  // namespace wsdemo
