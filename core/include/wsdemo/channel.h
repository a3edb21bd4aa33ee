// Channel: a long-lived WebSocket client. One worker thread and one libwebsockets context serve
// successive connections: connect(), disconnect(), connect() again to another URL with other
// options, without restarting.
//
// The shape of Flutter's WebSocketChannel and IXWebSocket: connect() returns at once, send()
// queues (sink.add), latest() is the StreamBuilder snapshot, drainEvents() is the stream of
// everything that happens, disconnect(code, reason) is sink.close. Every public member may be
// called from any thread and none of them waits on the network, name resolution included. Only
// the destructor waits, and for at most closeTimeout plus a little.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wsdemo/message.h"

namespace wsdemo {

using SteadyClock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// Options of one connection (what the window's settings hold and persist).

// One extra request header, "Name: value".
struct Header {
    std::string name;
    std::string value;
};

// Parses "Name: value" (optional white space around the value). Refuses, with a one-line
// reason: no colon, an empty name, a name that is not an RFC 7230 token, a control character
// (CR, LF, NUL... all but tab) anywhere, and the headers that libwebsockets or RFC 6455 own (Host,
// Upgrade, Connection, Origin (use ConnectOptions::origin), Sec-WebSocket-*, Content-Length,
// Transfer-Encoding).
std::variant<Header, std::string> parseHeader(std::string_view text);
// A subprotocol name must be an RFC 7230 token (RFC 6455 4.1): empty when it is, else why not.
std::string checkSubprotocol(std::string_view name);
// An Origin goes out as a header value: no control character but tab. Empty when fine.
std::string checkOrigin(std::string_view origin);
// Empty when `path` names a regular file this process can read, else why not. Never opens a
// FIFO or a device, which could block the caller or have effects.
std::string whyUnreadable(const std::string& path);

struct ReconnectOptions {
    bool enabled = false;
    // Exponential backoff with full jitter, see reconnectDelay(). Never after a disconnect()
    // we asked for, nor after a failure that the same request would meet again (URL, options).
    std::chrono::milliseconds minDelay{500};
    std::chrono::milliseconds maxDelay{30000};
    unsigned maxAttempts = 0;  // 0: no limit.
};

struct TlsOptions {
    std::string caFile;    // PEM; empty: the system's CAs.
    std::string certFile;  // Client certificate (PEM), with keyFile.
    std::string keyFile;
    bool verifyCertificate = true;  // Chain and validity dates.
    bool verifyHostname = true;
};

struct ConnectOptions {
    std::vector<std::string> subprotocols;  // Offered in this order; the server picks one.
    std::vector<Header> headers;
    std::string origin;                               // Empty: no Origin header.
    std::chrono::milliseconds connectTimeout{10000};  // From connect() to the end of the upgrade.
    // A larger message, either way, closes the connection with 1009 (received) or is refused
    // by send() (kTooLarge).
    std::size_t maxMessageBytes = 16u << 20;
    bool compression = true;  // Offer permessage-deflate, as browsers do.
    // After this much silence from the peer (half of it: a ping goes out), the connection is
    // dropped and reported. Silence while we ourselves stopped reading does not count.
    // Zero: no keepalive.
    std::chrono::milliseconds pingInterval{30000};
    ReconnectOptions reconnect;
    TlsOptions tls;
    // Answer the server's pings, as RFC 6455 asks. Off: leave them unanswered, to test a
    // server's timeouts (--no-auto-pong).
    bool autoPong = true;
};

// The wait before reconnect attempt `attempt` (1-based), `random01` uniform in [0, 1): full
// jitter under a ceiling that doubles each attempt, min(maxDelay, minDelay * 2^attempt), and
// never below minDelay. Attempt 1 waits 0.5-1 s, attempt 2 0.5-2 s, ... then 0.5-30 s.
std::chrono::milliseconds reconnectDelay(const ReconnectOptions& options, unsigned attempt,
                                         double random01);

// ---------------------------------------------------------------------------------------------
// State and events.

enum class ReadyState { kConnecting, kOpen, kClosing, kClosed };
const char* toString(ReadyState state);

// Where a connection attempt is while kConnecting.
enum class ConnectStage { kResolving, kTcp, kTls, kUpgrade };
// What the attempt is doing: "resolving the host name", "TLS handshake", ...
const char* toString(ConnectStage stage);

// Where a connection attempt failed, for a status that never reached kOpen.
enum class FailureStage { kNone, kUrl, kOptions, kDns, kTcp, kTls, kHttp, kTimeout, kCancelled };
const char* toString(FailureStage stage);

enum class CloseInitiator { kNone, kClient, kServer };

struct ChannelStatus {
    ReadyState state = ReadyState::kClosed;         // kClosed with failure kNone before connect().
    ConnectStage stage = ConnectStage::kResolving;  // While kConnecting.
    std::string url;                                // Of the current or last connection.
    std::string protocol;    // Negotiated subprotocol; empty if none. From kOpen on.
    std::string extensions;  // Negotiated extensions, e.g. "permessage-deflate". From kOpen on.
    // Once kClosed after having been open: the close code (1006 kAbnormal when no close frame
    // ended it), the reason, and who sent the first close frame. closeCode 0 if never open.
    uint16_t closeCode = 0;
    std::string closeReason;
    CloseInitiator closedBy = CloseInitiator::kNone;
    FailureStage failure = FailureStage::kNone;  // Set when the attempt never opened.
    std::string error;  // Why, in one line, for anything but a clean close; empty otherwise.
    std::size_t unsentMessages = 0;  // At kClosed: accepted by send() but never written.
};

struct StateChanged {
    ChannelStatus status;
};
struct MessageReceived {
    MessagePtr message;
};
struct MessageSent {  // Once its last byte was handed to the socket.
    MessagePtr message;
};
struct PingSent {
    std::string payload;
    bool keepalive = false;  // Sent by the keepalive timer, not asked for.
};
struct PongSent {
    std::string payload;
};
struct PongReceived {
    std::string payload;
    std::optional<std::chrono::microseconds> roundTrip;  // None for a pong we did not ask for.
};
struct ReconnectScheduled {
    unsigned attempt = 0;  // 1 for the first reconnect after a drop.
    std::chrono::milliseconds delay{0};
};

struct ChannelEvent {
    SteadyClock::time_point at;
    uint64_t connection = 0;  // Numbers each attempt, reconnects included, from 1.
    std::variant<StateChanged, MessageReceived, MessageSent, PingSent, PongSent, PongReceived,
                 ReconnectScheduled>
        what;
};

// ---------------------------------------------------------------------------------------------

enum class SendResult {
    kQueued,       // Will be written in order once the connection is open.
    kClosed,       // Not connected, not connecting and no reconnect is due: nothing queued.
    kQueueFull,    // A queue bound would be exceeded: retry after the queue drains.
    kTooLarge,     // Larger than maxMessageBytes (control frames: than 125 bytes).
    kInvalidUtf8,  // Text that is not UTF-8 (peers must fail the connection with 1007).
};
const char* toString(SendResult result);

// Limits of the channel itself, fixed for its life.
struct ChannelLimits {
    // High-water marks of undrained events: at either, the worker stops reading from the
    // socket until the consumer drains. Nothing is dropped; TCP slows the peer.
    std::size_t maxQueuedEvents = 1024;
    std::size_t maxQueuedEventBytes = 64u << 20;
    // What send() may queue. Each message counts kQueuedMessageOverhead bytes on top of its
    // data, so that empty messages are bounded too.
    std::size_t maxQueuedSendBytes = 64u << 20;
    // After our close frame, how long the peer may stay silent before the connection is
    // dropped (reported as 1006): a peer still sending what it had queued is not cut off. The
    // destructor waits no longer than this in all.
    std::chrono::milliseconds closeTimeout{750};
};
constexpr std::size_t kQueuedMessageOverhead = 64;

// Resolves a host name to numeric addresses, blocking. Runs on a thread of its own, never the
// worker's or the caller's; a resolver that never returns holds nothing up. Tests inject one.
struct ResolvedAddress {
    std::string numericHost;  // e.g. "127.0.0.1" or "::1".
};
using Resolver = std::function<std::variant<ResolvedAddress, std::string>(const std::string&)>;
// getaddrinfo(), first address.
std::variant<ResolvedAddress, std::string> resolveWithGetaddrinfo(const std::string& host);

class Channel {
public:
    // onWake: called on the worker thread when the event queue goes from empty to not empty.
    // It must be cheap and must not call back into the Channel (glfwPostEmptyEvent, a condvar
    // notify...): a consumer drains every event when woken.
    explicit Channel(std::function<void()> onWake = {}, ChannelLimits limits = {},
                     Resolver resolver = resolveWithGetaddrinfo);
    // Disconnects with 1001 (going away) if connected, waits up to closeTimeout for the
    // closing handshake, then stops the worker. Never waits on a resolver.
    ~Channel();

    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // Ends the current connection, if any (1000, or at once while connecting), then connects
    // to `url`. An invalid URL or option ends in a kClosed StateChanged with failure kUrl or
    // kOptions.
    void connect(std::string url, ConnectOptions options = {});
    // Starts the closing handshake after the messages already queued are written; while
    // connecting, or waiting to reconnect, gives up at once. Cancels any reconnect. Does
    // nothing when closed. Throws std::invalid_argument for a code an endpoint may not send
    // or a reason over 123 bytes or not UTF-8.
    void disconnect(uint16_t code = CloseCode::kNormal, std::string reason = {});
    // The same, misbehaving on purpose ("unsafe"): any code from 0 to 65535 (0: a close frame
    // with no payload at all) and any reason bytes, UTF-8 or not. Throws std::invalid_argument
    // only for a reason over 123 bytes, which no close frame can carry.
    void disconnectUnchecked(uint16_t code, std::string reason);

    SendResult send(std::string text);
    SendResult sendBinary(std::string bytes);
    SendResult ping(std::string payload = {});  // kTooLarge over 125 bytes.
    SendResult pong(std::string payload = {});  // Unsolicited (RFC 6455 5.5.3).

    ChannelStatus status() const;
    MessagePtr latest() const;  // Null until the first message arrives.
    std::vector<ChannelEvent> drainEvents();

private:
    struct Worker;
    std::unique_ptr<Worker> worker_;
};

}  // namespace wsdemo
