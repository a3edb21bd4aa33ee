// Channel: a WebSocket client connection serviced by libwebsockets on a worker thread.
//
// The shape of Flutter's WebSocketChannel: connect() returns at once, send() queues, latest()
// is the StreamBuilder snapshot, drainEvents() is the stream, close(code, reason) is
// sink.close. Every public member may be called from any thread; none of them blocks on the
// network. Only the destructor waits, and only for a bounded time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wsdemo/message.h"
#include "wsdemo/url.h"

struct lws_context;

namespace wsdemo {

enum class ReadyState { kConnecting, kOpen, kClosing, kClosed };

const char* toString(ReadyState state);

struct ChannelStatus {
    ReadyState state = ReadyState::kConnecting;
    // Set once the state is kClosed. closeCode is 1006 (kAbnormal) when no close frame ended the
    // connection, 0 when it never opened; error says why for anything but a clean close.
    uint16_t closeCode = 0;
    std::string closeReason;
    std::string error;
};

struct ChannelEvent {
    enum class Kind { kOpened, kMessage, kClosed };
    Kind kind = Kind::kOpened;
    MessagePtr message;    // kMessage only.
    ChannelStatus status;  // kClosed only: the final status.
};

struct ChannelOptions {
    // A message larger than this closes the connection with 1009: memory stays bounded
    // whatever a frame header claims.
    std::size_t maxMessageBytes = 16u << 20;
    // High-water mark of undrained events. At the mark the worker stops reading from the
    // socket until the consumer drains: nothing is dropped, the peer is slowed by TCP.
    std::size_t maxQueuedEvents = 1024;
    // Bytes send() may queue before it refuses more (SendResult::kQueueFull).
    std::size_t maxQueuedSendBytes = 64u << 20;
    // From connect() to the end of the handshake.
    std::chrono::milliseconds connectTimeout{10000};
    // How long the destructor waits for the closing handshake before it drops the connection:
    // destroying a channel takes less than a second, whatever the peer does.
    std::chrono::milliseconds closeTimeout{750};
    // After half of this without a frame from the peer, ping it; after all of it, drop the
    // connection and report that. Zero turns keepalive off.
    std::chrono::milliseconds keepaliveInterval{30000};
    // wss:// only. Turning either off is for test servers; the app shows it while in use.
    bool verifyTlsCertificate = true;  // Against the system's CAs, and the validity dates.
    bool verifyTlsHostname = true;
    // Called on the worker thread when the event queue goes from empty to not empty, or the
    // state changes: a consumer drains every event when woken. Must be cheap and must not call
    // back into the Channel (glfwPostEmptyEvent, a condvar notify...).
    std::function<void()> onWake;
};

enum class SendResult {
    kQueued,       // Will be written in order once the connection is open.
    kClosed,       // close() was called or the connection ended: nothing was queued.
    kQueueFull,    // maxQueuedSendBytes would be exceeded: retry after the queue drains.
    kTooLarge,     // Larger than maxMessageBytes.
    kInvalidUtf8,  // Text that is not UTF-8 (peers must fail the connection with 1007).
};

const char* toString(SendResult result);

class Channel {
public:
    Channel(WsUrl url, ChannelOptions options = {});
    // close(kNormal) if still open, waits up to closeTimeout for the closing handshake, then
    // stops the worker and joins it.
    ~Channel();

    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    const WsUrl& url() const { return url_; }
    const ChannelOptions& options() const { return options_; }

    SendResult send(std::string text);
    SendResult sendBinary(std::string bytes);

    // Starts the closing handshake after the messages already queued are written; while still
    // connecting with nothing queued, gives up the attempt at once. Later calls, and calls
    // after the connection ended, do nothing. Throws std::invalid_argument for a
    // code an endpoint may not send or a reason over 123 bytes.
    void close(uint16_t code = CloseCode::kNormal, std::string reason = {});

    ChannelStatus status() const;
    MessagePtr latest() const;  // Null until the first message arrives.
    std::vector<ChannelEvent> drainEvents();
    // Blocks until the connection has ended or the timeout passes; true if it has ended.
    bool waitUntilClosed(std::chrono::milliseconds timeout) const;

private:
    struct Connection;
    friend struct Connection;

    SendResult enqueue(Message::Type type, std::string data);
    void wakeWorker();
    void run();

    const WsUrl url_;
    const ChannelOptions options_;

    // Guarded by mutex_: everything the worker and the callers share.
    mutable std::mutex mutex_;
    mutable std::condition_variable closedCondition_;
    lws_context* context_ = nullptr;  // Non-null while lws_cancel_service() may be called on it.
    ChannelStatus status_;
    MessagePtr latest_;
    std::deque<ChannelEvent> events_;
    std::deque<Message> outgoing_;  // Accepted by send(), not yet taken by the worker.
    std::size_t outgoingBytes_ = 0;
    bool closeRequested_ = false;
    uint16_t requestedCloseCode_ = CloseCode::kNormal;
    std::string requestedCloseReason_;
    bool stopRequested_ = false;  // The destructor gave up waiting for a clean close.
    bool rxPaused_ = false;       // The worker stopped reading because events_ is full.

    std::unique_ptr<Connection> connection_;  // Worker thread only (libwebsockets state).
    std::thread worker_;  // Last member: starts after everything above is constructed.
};

}  // namespace wsdemo
