#include "wsdemo/channel.h"

#include <libwebsockets.h>
#include <netdb.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "ws_framing.h"
#include "lws_timer.h"
#include "wsdemo/text.h"

namespace wsdemo {

const char* toString(ReadyState state) {
    switch (state) {
        case ReadyState::kConnecting:
            return "connecting";
        case ReadyState::kOpen:
            return "open";
        case ReadyState::kClosing:
            return "closing";
        case ReadyState::kClosed:
            return "closed";
    }
    return "?";
}

const char* toString(SendResult result) {
    switch (result) {
        case SendResult::kQueued:
            return "queued";
        case SendResult::kClosed:
            return "the connection is closed";
        case SendResult::kQueueFull:
            return "the send queue is full";
        case SendResult::kTooLarge:
            return "the message is larger than the limit";
        case SendResult::kInvalidUtf8:
            return "the text is not valid UTF-8";
    }
    return "?";
}

// The libwebsockets side of a Channel: everything here lives on the worker thread.
struct Channel::Connection {
    explicit Connection(Channel& owner)
        : channel(owner), assembler(owner.options_.maxMessageBytes) {}

    static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                        std::size_t len) {
        auto* self = static_cast<Connection*>(lws_context_user(lws_get_context(wsi)));
        if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
            self->onCertificateVerified(static_cast<X509_STORE_CTX*>(user), len != 0);
            return 0;  // OpenSSL's verdict stands.
        }
        return self->onCallback(wsi, reason, in, len);
    }

    int onCallback(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
    void onEstablished(lws* wsi);
    int onReceive(lws* wsi, const void* in, std::size_t len);
    int onWriteable(lws* wsi);
    int onPeerClose(lws* wsi, const void* in, std::size_t len);
    void onClosed();
    void onWakeRequests();
    void onConnectTimeout();
    void onKeepaliveTick();
    void onCertificateVerified(X509_STORE_CTX* store, bool ok);
    int failConnection(lws* wsi, uint16_t code, const char* reason, std::string error);
    int failFromReceive(lws* wsi, uint16_t code, const char* reason, std::string error);
    void publish(ChannelEvent event);
    void setState(ReadyState state);
    void finish(uint16_t closeCode, std::string closeReason, std::string error);
    std::string describeConnectError(lws* wsi, const void* in) const;
    std::string describeStartFailure() const;

    Channel& channel;
    lws* wsi = nullptr;          // From lws_client_connect_via_info() to WSI_DESTROY.
    bool established = false;    // The handshake completed.
    bool finished = false;       // The final status is published; the service loop ends.
    bool readingPaused = false;  // lws_rx_flow_control(wsi, 0) is in force.
    bool closeFrameSent = false;
    uint16_t sentCloseCode = 0;
    std::string sentCloseReason;
    uint16_t peerCloseCode = 0;  // From the peer's close frame; 0 while none came.
    std::string peerCloseReason;
    std::string failure;   // Why we failed the connection ourselves (e.g. 1009).
    std::string tlsError;  // Why OpenSSL rejected the server's certificate.
    MessageAssembler assembler;
    std::unique_ptr<OutgoingMessage> writing;  // Taken from outgoing_, partly written.
    LwsTimer<Connection, &Connection::onConnectTimeout> connectTimer{*this};
    LwsTimer<Connection, &Connection::onKeepaliveTick> keepaliveTimer{*this};
    std::chrono::steady_clock::time_point lastHeard;  // Last frame of any kind from the peer.
    bool pingDue = false;                             // Write a ping at the next WRITEABLE.
    bool closeFrameDue = false;  // failFromReceive() wants sentCloseCode out at the next one.
};

Channel::Channel(WsUrl url, ChannelOptions options)
    : url_(std::move(url)),
      options_(std::move(options)),
      connection_(std::make_unique<Connection>(*this)),
      worker_(&Channel::run, this) {}

Channel::~Channel() {
    close();
    if (!waitUntilClosed(options_.closeTimeout)) {
        std::lock_guard<std::mutex> lock(mutex_);
        stopRequested_ = true;
    }
    wakeWorker();
    worker_.join();
}

SendResult Channel::send(std::string text) {
    if (!isValidUtf8(text)) return SendResult::kInvalidUtf8;
    return enqueue(Message::Type::kText, std::move(text));
}

SendResult Channel::sendBinary(std::string bytes) {
    return enqueue(Message::Type::kBinary, std::move(bytes));
}

SendResult Channel::enqueue(Message::Type type, std::string data) {
    if (data.size() > options_.maxMessageBytes) return SendResult::kTooLarge;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closeRequested_ || status_.state == ReadyState::kClosed) return SendResult::kClosed;
        if (data.size() > options_.maxQueuedSendBytes - outgoingBytes_)
            return SendResult::kQueueFull;
        outgoingBytes_ += data.size();
        outgoing_.push_back(Message{type, std::move(data)});
    }
    wakeWorker();
    return SendResult::kQueued;
}

void Channel::close(uint16_t code, std::string reason) {
    if (!isSendableCloseCode(code))
        throw std::invalid_argument("close code " + std::to_string(code) + " may not be sent");
    if (reason.size() > 123 || !isValidUtf8(reason))
        throw std::invalid_argument("close reason must be valid UTF-8 of at most 123 bytes");
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closeRequested_ || status_.state == ReadyState::kClosed) return;
        closeRequested_ = true;
        requestedCloseCode_ = code;
        requestedCloseReason_ = std::move(reason);
    }
    wakeWorker();
}

ChannelStatus Channel::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

MessagePtr Channel::latest() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return latest_;
}

std::vector<ChannelEvent> Channel::drainEvents() {
    std::vector<ChannelEvent> drained;
    bool resumeReading;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        drained.assign(std::make_move_iterator(events_.begin()),
                       std::make_move_iterator(events_.end()));
        events_.clear();
        resumeReading = rxPaused_;
        rxPaused_ = false;
    }
    if (resumeReading) wakeWorker();
    return drained;
}

bool Channel::waitUntilClosed(std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return closedCondition_.wait_for(lock, timeout,
                                     [this] { return status_.state == ReadyState::kClosed; });
}

// The one libwebsockets call allowed off the worker thread.
void Channel::wakeWorker() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (context_) lws_cancel_service(context_);
}

void Channel::run() {
    static const lws_protocols kProtocols[] = {
        {"wsdemo-client", &Connection::callback, 0, 0, 0, nullptr, 0},
        {nullptr, nullptr, 0, 0, 0, nullptr, 0},
    };
    Connection& connection = *connection_;

    lws_context_creation_info info;
    std::memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = kProtocols;
    // No LWS_SERVER_OPTION_VALIDATE_UTF8: lws 4.1.6 drops the connection on bad UTF-8, where
    // RFC 6455 asks for a 1007 close, which MessageAssembler and onPeerClose() send.
    if (url_.secure) info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.user = &connection;
    // One connection: without a limit lws sizes its fd table by `ulimit -n`.
    info.fd_limit_per_thread = 16;
    // Let our own connect timer, with its clearer message, fire before lws's handshake timeout.
    info.timeout_secs = static_cast<unsigned int>(options_.connectTimeout.count() / 1000 + 2);

    lws_context* context = lws_create_context(&info);
    if (!context) {
        connection.finish(0, {}, "could not create the libwebsockets context");
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        context_ = context;
    }

    // Host header: the port only when it is not the scheme's default (RFC 6455 4.1).
    const bool defaultPort = url_.port == (url_.secure ? 443 : 80);
    const bool ipv6 = url_.host.find(':') != std::string::npos;
    std::string hostHeader = ipv6 ? "[" + url_.host + "]" : url_.host;
    if (!defaultPort) hostHeader += ":" + std::to_string(url_.port);

    lws_client_connect_info connect;
    std::memset(&connect, 0, sizeof connect);
    connect.context = context;
    connect.address = url_.host.c_str();
    connect.port = url_.port;
    connect.path = url_.path.c_str();
    connect.host = hostHeader.c_str();
    if (url_.secure) {
        connect.ssl_connection = LCCSCF_USE_SSL;
        if (!options_.verifyTlsCertificate)
            connect.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_ALLOW_EXPIRED;
        if (!options_.verifyTlsHostname)
            connect.ssl_connection |= LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK;
    }
    connect.local_protocol_name = kProtocols[0].name;
    connect.pwsi = &connection.wsi;

    connection.connectTimer.schedule(context, options_.connectTimeout.count() * LWS_US_PER_MS);

    if (!lws_client_connect_via_info(&connect) && !connection.finished)
        connection.finish(0, {}, connection.describeStartFailure());

    while (!connection.finished) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopRequested_) break;
        }
        lws_service(context, 0);
    }
    if (!connection.finished)
        connection.finish(CloseCode::kAbnormal, {},
                          "the closing handshake did not complete in time");

    {
        std::lock_guard<std::mutex> lock(mutex_);
        context_ = nullptr;
    }
    connection.connectTimer.cancel();
    connection.keepaliveTimer.cancel();
    lws_context_destroy(context);
}

int Channel::Connection::onCallback(lws* callbackWsi, lws_callback_reasons reason, void* in,
                                    std::size_t len) {
    switch (reason) {
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            onEstablished(callbackWsi);
            return 0;
        case LWS_CALLBACK_CLIENT_RECEIVE:
            return onReceive(callbackWsi, in, len);
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return onWriteable(callbackWsi);
        case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
            lastHeard = std::chrono::steady_clock::now();
            return 0;
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            return onPeerClose(callbackWsi, in, len);
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            finish(0, {}, describeConnectError(callbackWsi, in));
            return 0;
        case LWS_CALLBACK_CLIENT_CLOSED:
            onClosed();
            return 0;
        case LWS_CALLBACK_WSI_DESTROY:
            // lws 4.1.6 reports a server that never answers the upgrade only this way.
            if (callbackWsi == wsi) {
                wsi = nullptr;
                if (!finished)
                    finish(0, {}, "the server closed the connection during the handshake");
            }
            return 0;
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            // Never return -1 here: it would free the event pipe lws_cancel_service() writes.
            onWakeRequests();
            return 0;
        default:
            return 0;
    }
}

void Channel::Connection::onEstablished(lws* callbackWsi) {
    established = true;
    connectTimer.cancel();
    lastHeard = std::chrono::steady_clock::now();
    if (channel.options_.keepaliveInterval.count() > 0)
        keepaliveTimer.schedule(lws_get_context(callbackWsi),
                                channel.options_.keepaliveInterval.count() * LWS_US_PER_MS / 4);
    ChannelEvent opened;
    opened.kind = ChannelEvent::Kind::kOpened;
    setState(ReadyState::kOpen);
    publish(std::move(opened));
    lws_callback_on_writable(callbackWsi);  // Messages sent while connecting, or a close.
}

int Channel::Connection::onReceive(lws* callbackWsi, const void* in, std::size_t len) {
    lastHeard = std::chrono::steady_clock::now();
    if (!failure.empty()) return 0;  // Failing: what is still in lws's buffer is dropped.
    switch (assembler.append(callbackWsi, in, len)) {
        case MessageAssembler::Result::kIncomplete:
            return 0;
        case MessageAssembler::Result::kTooBig:
            return failFromReceive(callbackWsi, CloseCode::kMessageTooBig, "message too big",
                                   "received a message larger than the limit of " +
                                       std::to_string(channel.options_.maxMessageBytes) + " bytes");
        case MessageAssembler::Result::kInvalidUtf8:
            return failFromReceive(callbackWsi, CloseCode::kInvalidPayload, "invalid UTF-8",
                                   "received a text message that is not valid UTF-8");
        case MessageAssembler::Result::kComplete:
            break;
    }
    ChannelEvent event;
    event.kind = ChannelEvent::Kind::kMessage;
    Message message = assembler.take();
    message.receivedAt = std::chrono::steady_clock::now();
    event.message = std::make_shared<const Message>(std::move(message));
    publish(std::move(event));
    return 0;
}

// Closes with our code and reason; returning its -1 from the callback makes lws send it.
int Channel::Connection::failConnection(lws* callbackWsi, uint16_t code, const char* reason,
                                        std::string error) {
    failure = std::move(error);
    sentCloseCode = code;
    sentCloseReason = reason;
    closeFrameSent = true;
    return closeWith(callbackWsi, code, sentCloseReason);
}

// RECEIVE must not return -1 in the middle of a frame: lws 4.1.6 then writes past the end of
// its receive buffer (valgrind: "invalid write ... 0 bytes after a block of size 4,116").
// The close frame goes out from the next WRITEABLE instead; what arrives until then is dropped.
int Channel::Connection::failFromReceive(lws* callbackWsi, uint16_t code, const char* reason,
                                         std::string error) {
    failure = std::move(error);
    sentCloseCode = code;
    sentCloseReason = reason;
    closeFrameDue = true;
    lws_callback_on_writable(callbackWsi);
    return 0;
}

int Channel::Connection::onWriteable(lws* callbackWsi) {
    if (closeFrameDue) {
        closeFrameDue = false;
        closeFrameSent = true;
        return closeWith(callbackWsi, sentCloseCode, sentCloseReason);
    }
    if (pingDue) {
        // Control frames may go between the fragments of a message.
        pingDue = false;
        unsigned char ping[LWS_PRE];
        if (lws_write(callbackWsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0) return -1;
        lws_callback_on_writable(callbackWsi);
        return 0;
    }
    for (int frame = 0; frame < kFramesPerWriteable; ++frame) {
        if (!writing) {
            bool closeNow = false;
            {
                std::lock_guard<std::mutex> lock(channel.mutex_);
                if (!channel.outgoing_.empty()) {
                    Message& next = channel.outgoing_.front();
                    writing = std::make_unique<OutgoingMessage>(next);
                    channel.outgoingBytes_ -= next.data.size();
                    channel.outgoing_.pop_front();
                } else if (channel.closeRequested_ && !closeFrameSent) {
                    closeNow = true;
                    sentCloseCode = channel.requestedCloseCode_;
                    sentCloseReason = channel.requestedCloseReason_;
                }
            }
            if (closeNow) {
                if (frame > 0) break;  // The close frame gets a callback of its own.
                closeFrameSent = true;
                setState(ReadyState::kClosing);
                // lws writes the close frame and waits for the peer's.
                return closeWith(callbackWsi, sentCloseCode, sentCloseReason);
            }
            if (!writing) return 0;  // Nothing more to write.
        }
        if (!writing->writeNextChunk(callbackWsi)) return -1;
        if (writing->done()) writing.reset();
        if (lws_partial_buffered(callbackWsi)) break;  // The socket is full: wait for it.
    }
    lws_callback_on_writable(callbackWsi);  // The next chunk, message or close.
    return 0;
}

void Channel::Connection::onConnectTimeout() {
    const double seconds = static_cast<double>(channel.options_.connectTimeout.count()) / 1000.0;
    char text[96];
    std::snprintf(text, sizeof text, "no WebSocket handshake within %.1f s", seconds);
    finish(0, {}, text);
}

void Channel::Connection::onCertificateVerified(X509_STORE_CTX* store, bool ok) {
    if (ok || !tlsError.empty()) return;  // The first error is the one that explains.
    const int error = X509_STORE_CTX_get_error(store);
    tlsError = std::string("the server's TLS certificate was rejected: ") +
               X509_verify_cert_error_string(error);
}

// Runs every quarter interval. A ping goes out once half an interval has passed in silence
// (three quarters at the latest), so its answer has a quarter interval or more to come back.
void Channel::Connection::onKeepaliveTick() {
    if (!wsi || finished) return;
    const auto interval = channel.options_.keepaliveInterval;
    const auto silence = std::chrono::steady_clock::now() - lastHeard;
    if (silence >= interval) {
        // A peer that answers nothing will not answer a close frame either: drop it.
        const double seconds = static_cast<double>(interval.count()) / 1000.0;
        char text[96];
        std::snprintf(text, sizeof text, "the server did not answer pings for %.1f s", seconds);
        failure = text;
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        return;
    }
    if (silence >= interval / 2) {
        pingDue = true;
        lws_callback_on_writable(wsi);
    }
    keepaliveTimer.schedule(lws_get_context(wsi), interval.count() * LWS_US_PER_MS / 4);
}

int Channel::Connection::onPeerClose(lws* callbackWsi, const void* in, std::size_t len) {
    lastHeard = std::chrono::steady_clock::now();
    // lws 4.1.6 turns codes 1005, 1006, 1012-1015 and those under 3000 it does not know into
    // 1002 before we see them, but passes 1 byte, codes from 5000 up and any reason bytes on.
    const auto parsed = parseClosePayload(std::string_view(static_cast<const char*>(in), len));
    if (const auto* bad = std::get_if<ClosePayloadError>(&parsed))
        return failConnection(
            callbackWsi, bad->answerCode,
            bad->answerCode == CloseCode::kProtocolError ? "bad close frame" : "invalid UTF-8",
            "the server sent " + bad->error);
    peerCloseCode = std::get<ClosePayload>(parsed).code;
    peerCloseReason = std::get<ClosePayload>(parsed).reason;
    setState(ReadyState::kClosing);
    return 0;
}

void Channel::Connection::onClosed() {
    if (!failure.empty()) {
        finish(closeFrameSent ? sentCloseCode : CloseCode::kAbnormal,
               closeFrameSent ? sentCloseReason : std::string(), failure);
    } else if (peerCloseCode) {
        finish(peerCloseCode, peerCloseReason, {});
    } else if (closeFrameSent) {
        finish(sentCloseCode, sentCloseReason, {});
    } else {
        // lws 4.1.6 answers a protocol violation (reserved bits or opcodes, bad control
        // frames...) by dropping TCP the same way, with nothing that tells the two apart.
        finish(CloseCode::kAbnormal, {},
               "the connection was dropped without a close frame (by the network, the server, "
               "or for a protocol violation)");
    }
}

void Channel::Connection::onWakeRequests() {
    bool stop, closeRequested, resumeReading, messagesQueued;
    {
        std::lock_guard<std::mutex> lock(channel.mutex_);
        stop = channel.stopRequested_;
        closeRequested = channel.closeRequested_;
        resumeReading = readingPaused && !channel.rxPaused_;
        messagesQueued = !channel.outgoing_.empty();
    }
    if (stop || !wsi || finished) return;  // The service loop sees stop and ends.
    if (!established) {
        // Queued messages go before the close, so the handshake must finish first; with
        // nothing queued there is nothing to wait for.
        if (closeRequested && !messagesQueued)
            finish(0, {}, "closed before the connection was established");
        return;
    }
    if (resumeReading) {
        readingPaused = false;
        lws_rx_flow_control(wsi, 1);
    }
    if (messagesQueued || closeRequested) lws_callback_on_writable(wsi);
}

void Channel::Connection::publish(ChannelEvent event) {
    bool pauseReading = false;
    bool wasEmpty;
    {
        std::lock_guard<std::mutex> lock(channel.mutex_);
        if (event.kind == ChannelEvent::Kind::kMessage) channel.latest_ = event.message;
        wasEmpty = channel.events_.empty();
        channel.events_.push_back(std::move(event));
        if (channel.events_.size() >= channel.options_.maxQueuedEvents && !readingPaused) {
            channel.rxPaused_ = true;
            pauseReading = true;
        }
    }
    if (pauseReading && wsi) {
        readingPaused = true;
        lws_rx_flow_control(wsi, 0);
    }
    // A consumer drains every event it is woken for: a wake for a queue that already held
    // events would find nothing new to wait for.
    if (wasEmpty && channel.options_.onWake) channel.options_.onWake();
}

void Channel::Connection::setState(ReadyState state) {
    {
        std::lock_guard<std::mutex> lock(channel.mutex_);
        if (channel.status_.state == ReadyState::kClosed) return;
        channel.status_.state = state;
    }
    if (channel.options_.onWake) channel.options_.onWake();
}

void Channel::Connection::finish(uint16_t closeCode, std::string closeReason, std::string error) {
    if (finished) return;
    finished = true;
    assembler.reset();  // A message cut off by the end of the connection is never published.
    writing.reset();
    connectTimer.cancel();
    keepaliveTimer.cancel();
    ChannelEvent closed;
    closed.kind = ChannelEvent::Kind::kClosed;
    closed.status =
        ChannelStatus{ReadyState::kClosed, closeCode, std::move(closeReason), std::move(error)};
    {
        std::lock_guard<std::mutex> lock(channel.mutex_);
        channel.status_ = closed.status;
        channel.events_.push_back(std::move(closed));
        channel.outgoing_.clear();
        channel.outgoingBytes_ = 0;
    }
    channel.closedCondition_.notify_all();
    if (channel.options_.onWake) channel.options_.onWake();
}

std::string Channel::Connection::describeConnectError(lws* callbackWsi, const void* in) const {
    std::string text = "cannot connect to " + channel.url_.toString() + ": ";
    const unsigned int httpStatus = callbackWsi ? lws_http_client_http_response(callbackWsi) : 0;
    if (httpStatus && httpStatus != 101)
        return text + "the server answered HTTP " + std::to_string(httpStatus) +
               " instead of 101 Switching Protocols";
    if (!tlsError.empty()) return text + tlsError;
    const std::string detail = in ? static_cast<const char*>(in) : "";
    // lws 4.1.6 says only this for every failed TCP connect, and has closed the socket (and
    // with it SO_ERROR) by the time we hear of it.
    if (detail == "Unable to connect")
        return text + "the TCP connection was refused, or the host is unreachable";
    // OpenSSL's own text for a failed handshake says nothing a user can act on.
    if (detail.rfind("connect SSL err", 0) == 0)
        return text + "the TLS handshake failed (is this a TLS server?): " + detail;
    return text + (detail.empty() ? "unknown error" : detail);
}

// lws_client_connect_via_info() fails at once, with no callback, when the host name does not
// resolve (lws 4.1.6 resolves synchronously). Ask the resolver again for the reason.
std::string Channel::Connection::describeStartFailure() const {
    const std::string text = "cannot connect to " + channel.url_.toString() + ": ";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int error = getaddrinfo(channel.url_.host.c_str(), nullptr, &hints, &found);
    if (error != 0)
        return text + "cannot resolve host '" + channel.url_.host + "': " + gai_strerror(error);
    freeaddrinfo(found);
    return text + "libwebsockets could not start the connection";
}

}  // namespace wsdemo
