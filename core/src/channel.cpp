#include "wsdemo/channel.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

#include "lws_timer.h"
#include "lws_worker.h"
#include "ws_framing.h"
#include "wsdemo/text.h"
#include "wsdemo/url.h"

namespace wsdemo {

namespace {

constexpr std::size_t kMaxControlPayload = 125;                  // RFC 6455 5.5.
constexpr std::size_t kMaxCloseReason = kMaxControlPayload - 2;  // After the 2-byte code.
// Pings whose pong has not come: a peer may answer only the latest (RFC 6455 5.5.3).
constexpr std::size_t kMaxOutstandingPings = 64;
constexpr char kProtocolName[] = "wsdemo-client";

// What connect() asked for, checked on the caller's thread.
struct ConnectRequest {
    std::string urlText;
    ConnectOptions options;
    WsUrl url;                                   // Valid when failure is kNone.
    FailureStage failure = FailureStage::kNone;  // kUrl or kOptions: refused before any I/O.
    std::string error;
};

struct DisconnectRequest {
    uint16_t code = CloseCode::kNormal;
    std::string reason;
};

using Request = std::variant<ConnectRequest, DisconnectRequest>;

struct ControlFrame {
    bool ping = true;  // Else a pong.
    std::string payload;
};

using ResolveResult = std::variant<ResolvedAddress, std::string>;

// How a resolver thread hands its answer back. Shared with the thread, which may outlive the
// Channel: once `abandoned`, the thread touches nothing but this.
struct ResolveMailbox {
    std::mutex mutex;
    bool abandoned = false;               // Worker: the attempt ended, or the Channel is going.
    std::optional<ResolveResult> result;  // Resolver thread, read by the worker.
    LwsWorker* worker = nullptr;          // Woken with the result while not abandoned.
};

bool isNumericHost(const std::string& host) {
    in_addr ipv4{};
    in6_addr ipv6{};
    return inet_pton(AF_INET, host.c_str(), &ipv4) == 1 ||
           inet_pton(AF_INET6, host.c_str(), &ipv6) == 1;
}

// Empty when the file can be read, else why not.
std::string checkReadable(const std::string& what, const std::string& path) {
    if (std::string why = whyUnreadable(path); !why.empty())
        return "cannot read the " + what + " " + printableQuote(path) + ": " + why;
    return {};
}

// The request's failure (kUrl, kOptions) if connect() must refuse it.
ConnectRequest checkRequest(std::string urlText, ConnectOptions options) {
    ConnectRequest request{std::move(urlText), std::move(options), {}, FailureStage::kNone, {}};
    auto parsed = parseWsUrl(request.urlText);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        request.failure = FailureStage::kUrl;
        request.error = *error;
        return request;
    }
    request.url = std::get<WsUrl>(parsed);
    const auto refuse = [&](std::string error) {
        request.failure = FailureStage::kOptions;
        request.error = std::move(error);
        return request;
    };
    for (const Header& header : request.options.headers) {
        const auto checked = parseHeader(header.name + ": " + header.value);
        if (const auto* error = std::get_if<std::string>(&checked)) return refuse(*error);
    }
    for (const std::string& name : request.options.subprotocols)
        if (std::string error = checkSubprotocol(name); !error.empty()) return refuse(error);
    if (std::string error = checkOrigin(request.options.origin); !error.empty())
        return refuse(error);
    const TlsOptions& tls = request.options.tls;
    if (request.url.secure) {
        if (tls.certFile.empty() != tls.keyFile.empty())
            return refuse("a client certificate needs both a certificate and a key file");
        for (const auto& [what, path] :
             {std::pair<const char*, const std::string&>{"CA file", tls.caFile},
              {"client certificate", tls.certFile},
              {"client key", tls.keyFile}})
            if (!path.empty())
                if (std::string error = checkReadable(what, path); !error.empty())
                    return refuse(error);
    }
    return request;
}

// "10.0 s", "0.75 s", "1.5 s", "0.001 s": tenths at least, milliseconds where they matter.
std::string secondsText(std::chrono::milliseconds duration) {
    char text[32];
    const double seconds = static_cast<double>(duration.count()) / 1000.0;
    std::snprintf(text, sizeof text, duration.count() % 100 == 0 ? "%.1f s" : "%.3g s", seconds);
    return text;
}

// lws 4.1.6's permessage-deflate, with one bug of its client parser mended (upstream commit
// 9202017c2, 2023). For a frame the extension leaves alone (a control frame such as a pong with
// a payload, or a data frame sent uncompressed, as node's ws does below 1 KiB) it returns
// PMDR_NOTHING_WE_SHOULD_DO, which 4.1.6's drain loop does not count as consumed: it calls
// back with the same payload forever. PMDR_UNKNOWN is what that loop reads as "in == out".
// The values are lws's private enum pmd_return (lib/core-net/private-lib-core-net.h).
constexpr int kPmdrUnknown = 0;
constexpr int kPmdrNothingWeShouldDo = 5;

int permessageDeflate(lws_context* context, const lws_extension* extension, lws* wsi,
                      lws_extension_callback_reasons reason, void* user, void* in,
                      std::size_t len) {
    const int result =
        lws_extension_callback_pm_deflate(context, extension, wsi, reason, user, in, len);
    if (reason == LWS_EXT_CB_PAYLOAD_RX && result == kPmdrNothingWeShouldDo) return kPmdrUnknown;
    return result;
}

}  // namespace

std::variant<ResolvedAddress, std::string> resolveWithGetaddrinfo(const std::string& host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int error = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (error != 0) return "cannot resolve host '" + host + "': " + gai_strerror(error);
    char numeric[NI_MAXHOST];
    const int named = getnameinfo(found->ai_addr, found->ai_addrlen, numeric, sizeof numeric,
                                  nullptr, 0, NI_NUMERICHOST);
    freeaddrinfo(found);
    if (named != 0) return "cannot resolve host '" + host + "': " + gai_strerror(named);
    return ResolvedAddress{numeric};
}

struct Channel::Worker {
    Worker(std::function<void()> wakeHook, ChannelLimits channelLimits, Resolver nameResolver);

    // ---- Everything the worker and the callers share, under its one mutex. ----
    struct Shared {
        mutable std::mutex mutex;
        std::condition_variable idleChanged;  // Notified when `idle` turns true.
        // Callers write, the worker takes.
        std::deque<Request> requests;
        std::deque<MessagePtr> outgoing;    // send(), not yet started by the worker.
        std::deque<ControlFrame> controls;  // ping(), pong(), not yet written.
        std::size_t outgoingBytes = 0;      // Both queues, kQueuedMessageOverhead each.
        // Callers set it when a send wakes the worker; the worker clears it when it takes the
        // wake. Sends meanwhile need no wake of their own: a burst costs one, not one each.
        bool sendWakePending = false;
        // Callers set it (connect() true, disconnect() false); the worker clears it when it
        // gives up. send() queues while it holds.
        bool accepting = false;
        std::size_t maxMessageBytes = ConnectOptions{}.maxMessageBytes;  // connect() writes.
        bool stopping = false;  // The destructor: end the service loop.
        // The worker writes, callers read.
        // No connection, none coming: nothing to wait for. False once the worker takes a
        // connect request; true again when it gives up.
        bool idle = true;
        ChannelStatus status;
        MessagePtr latest;
        std::deque<ChannelEvent> events;
        std::size_t eventBytes = 0;  // Received message bytes in `events`.
        // The worker sets it when `events` reaches a mark (and stops reading); drainEvents()
        // clears it (and wakes the worker to read again).
        bool readingPaused = false;
    };

    // Callers' threads: send(), sendBinary(), ping(), pong().
    SendResult queueMessage(Message::Type type, std::string data);
    SendResult queueControl(bool isPing, std::string payload);

    // ---- Worker thread only. ----
    static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                        std::size_t len);
    static void onTlsStep(const SSL* ssl, int where, int ret);
    int onCallback(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
    lws_context* createContext();
    bool finished();
    void beforeDestroy();

    // Requests and the connection's life.
    void onWakeRequests();
    void handleConnect(ConnectRequest request);
    void handleDisconnect(DisconnectRequest request);
    void startAttempt(const ConnectRequest& request);
    void onResolved(ResolveResult result);
    void startLws(const std::string& numericHost);
    bool useVhost(const ConnectRequest& request);
    void abandonResolver();
    void cancelAttempt(std::string error);
    void finish(FailureStage failure, uint16_t closeCode, std::string closeReason,
                std::string error);
    void giveUp();
    void onKick();
    void onReconnectDue();
    void onConnectTimeout();
    void onCloseTimeout();
    void onKeepaliveTick();

    // lws callbacks of the connection.
    void onCertificateVerified(X509_STORE_CTX* store, bool ok);
    int onAppendHeaders(lws* wsi, char** position, std::size_t space);
    void onPreEstablish(lws* wsi);
    void onEstablished(lws* wsi);
    int onReceive(lws* wsi, const void* in, std::size_t len);
    void onPong(const void* in, std::size_t len);
    int onWriteable(lws* wsi);
    bool writeControlFrames(lws* wsi);  // False if the connection failed.
    void stopAnsweringPings(lws* wsi);
    int sendCloseFrame(lws* wsi, uint16_t code, const std::string& reason);
    int sendEmptyCloseFrame(lws* wsi);
    int onPeerClose(lws* wsi, const void* in, std::size_t len);
    void onClosed();
    void onConnectionError(lws* wsi, const void* in);
    void onWsiDestroyed();
    void failForClientCertificate(const std::string& detail);
    int failFromReceive(lws* wsi, uint16_t code, const char* reason, std::string error);
    void pauseReadingIfFull(std::unique_lock<std::mutex>& lock);

    // Events.
    template <class... What>
    void publish(What... whats);
    void publishState();

    const std::function<void()> onWake;
    const ChannelLimits limits;
    const Resolver resolver;

    Shared shared;

    // The libwebsockets side, on the worker thread only.
    lws_context* context = nullptr;
    lws_vhost* controlVhost = nullptr;  // No connection: receives EVENT_WAIT_CANCELLED.
    lws_vhost* vhost = nullptr;         // The current connection's: its TLS files.
    struct VhostConfig {
        bool secure = false;
        std::string caFile, certFile, keyFile;
        bool operator==(const VhostConfig& other) const {
            return secure == other.secure && caFile == other.caFile && certFile == other.certFile &&
                   keyFile == other.keyFile;
        }
    } vhostConfig;
    unsigned vhostCount = 0;  // Names them.
    bool destroying = false;  // lws_context_destroy() runs: schedule nothing more.

    // The current (or last) connection attempt.
    ConnectRequest target;                    // What it connects to; reconnects reuse it.
    uint64_t connection = 0;                  // Its number.
    ChannelStatus status;                     // Mirrored into shared.status at each change.
    bool attemptActive = false;               // From start to its kClosed status.
    std::shared_ptr<ResolveMailbox> mailbox;  // While resolving.
    lws* wsi = nullptr;                       // From lws_client_connect_via_info to WSI_DESTROY.
    bool established = false;
    bool readingPaused = false;                    // lws_rx_flow_control(wsi, 0) is in force.
    std::optional<DisconnectRequest> closeWanted;  // Close after the queue (or switch now).
    bool switching = false;                        // A connect() waits for this connection to end.
    bool closeFrameSent = false;
    bool emptyCloseSent = false;  // sendEmptyCloseFrame(): lws does not know we are closing.
    wsframe::MaskKeys maskKeys;   // For sendEmptyCloseFrame().
    bool closeFrameDue = false;   // failFromReceive(): the close goes out at the next WRITEABLE.
    bool closeTimedOut = false;   // Our close frame went unanswered: no close frame ended it.
    bool certificateRequested = false;  // The server's TLS handshake asked for ours.
    uint16_t sentCloseCode = 0;
    std::string sentCloseReason;
    bool peerClosed = false;
    uint16_t peerCloseCode = 0;
    std::string peerCloseReason;
    FailureStage failureStage = FailureStage::kNone;  // Set with `failure`.
    std::string failure;                              // Why we ended the connection ourselves.
    std::string tlsError;  // Why OpenSSL rejected the server's certificate.
    std::optional<MessageAssembler> assembler;
    MessageWriter writer{MessageWriter::Role::kClient};
    MessagePtr inFlight;  // Handed to the writer, not yet whole on the wire.
    SteadyClock::time_point lastHeard;
    bool keepalivePingDue = false;
    struct OutstandingPing {
        std::string payload;
        SteadyClock::time_point sentAt;
    };
    std::deque<OutstandingPing> outstandingPings;

    // Between attempts.
    std::optional<ConnectRequest> nextConnect;  // Starts once the old wsi is gone.
    bool reconnectDue = false;
    unsigned reconnectAttempt = 0;  // Since the last open.
    std::mt19937 random{std::random_device{}()};

    LwsTimer<Worker, &Worker::onKick> kickTimer{*this};
    LwsTimer<Worker, &Worker::onReconnectDue> reconnectTimer{*this};
    LwsTimer<Worker, &Worker::onConnectTimeout> connectTimer{*this};
    LwsTimer<Worker, &Worker::onCloseTimeout> closeTimer{*this};
    LwsTimer<Worker, &Worker::onKeepaliveTick> keepaliveTimer{*this};

    LwsWorker service;  // Last: its thread starts after everything above exists.
};

// ---------------------------------------------------------------------------------------------
// The public side: any thread.

Channel::Channel(std::function<void()> onWake, ChannelLimits limits, Resolver resolver)
    : worker_(std::make_unique<Worker>(std::move(onWake), limits, std::move(resolver))) {}

Channel::Worker::Worker(std::function<void()> wakeHook, ChannelLimits channelLimits,
                        Resolver nameResolver)
    : onWake(std::move(wakeHook)), limits(channelLimits), resolver(std::move(nameResolver)) {
    service.start({[this] { return createContext(); }, [this] { return finished(); },
                   [this] { beforeDestroy(); }});
}

Channel::~Channel() {
    Worker& worker = *worker_;
    {
        std::unique_lock<std::mutex> lock(worker.shared.mutex);
        if (!worker.shared.idle || !worker.shared.requests.empty()) {
            worker.shared.requests.push_back(
                DisconnectRequest{CloseCode::kGoingAway, "going away"});
            worker.shared.accepting = false;
            lock.unlock();
            worker.service.wake();
            lock.lock();
            worker.shared.idleChanged.wait_for(lock, worker.limits.closeTimeout, [&] {
                return worker.shared.idle && worker.shared.requests.empty();
            });
        }
        worker.shared.stopping = true;
    }
    worker.service.wake();
    worker.service.join();
}

void Channel::connect(std::string url, ConnectOptions options) {
    ConnectRequest request = checkRequest(std::move(url), std::move(options));
    {
        std::lock_guard<std::mutex> lock(worker_->shared.mutex);
        auto& requests = worker_->shared.requests;
        // Connects the worker has not started yet are superseded, and with them the
        // disconnects that would have ended them: at most [disconnect, connect] waits.
        const bool disconnectFirst =
            !requests.empty() && std::holds_alternative<DisconnectRequest>(requests.front());
        std::optional<Request> first;
        if (disconnectFirst) first = std::move(requests.front());
        requests.clear();
        if (first) requests.push_back(std::move(*first));
        worker_->shared.maxMessageBytes = request.options.maxMessageBytes;
        worker_->shared.accepting = true;
        requests.push_back(std::move(request));
    }
    worker_->service.wake();
}

void Channel::disconnect(uint16_t code, std::string reason) {
    if (!isSendableCloseCode(code))
        throw std::invalid_argument("close code " + std::to_string(code) + " may not be sent");
    if (!isValidUtf8(reason))
        throw std::invalid_argument("close reason must be valid UTF-8 of at most 123 bytes");
    disconnectUnchecked(code, std::move(reason));
}

// Code 0 sends a close frame with no payload, so a reason given with it goes nowhere.
void Channel::disconnectUnchecked(uint16_t code, std::string reason) {
    if (reason.size() > kMaxCloseReason)
        throw std::invalid_argument("a close reason must be at most 123 bytes");
    {
        std::lock_guard<std::mutex> lock(worker_->shared.mutex);
        auto& requests = worker_->shared.requests;
        worker_->shared.accepting = false;
        if (worker_->shared.idle && requests.empty()) return;  // Closed: nothing to do.
        // A connect not started yet still runs (and is reported) before this ends it.
        if (!requests.empty() && std::holds_alternative<DisconnectRequest>(requests.back())) return;
        requests.push_back(DisconnectRequest{code, std::move(reason)});
    }
    worker_->service.wake();
}

SendResult Channel::send(std::string text) {
    if (!isValidUtf8(text)) return SendResult::kInvalidUtf8;
    return worker_->queueMessage(Message::Type::kText, std::move(text));
}

SendResult Channel::sendBinary(std::string bytes) {
    return worker_->queueMessage(Message::Type::kBinary, std::move(bytes));
}

SendResult Channel::ping(std::string payload) {
    return worker_->queueControl(true, std::move(payload));
}

SendResult Channel::pong(std::string payload) {
    return worker_->queueControl(false, std::move(payload));
}

SendResult Channel::Worker::queueMessage(Message::Type type, std::string data) {
    const std::size_t cost = data.size() + kQueuedMessageOverhead;
    // Built before the lock: nothing the size of a message is copied or allocated under it.
    auto message = std::make_shared<const Message>(Message{type, std::move(data), {}});
    bool wake;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (message->data.size() > shared.maxMessageBytes) return SendResult::kTooLarge;
        if (!shared.accepting) return SendResult::kClosed;
        if (cost > limits.maxQueuedSendBytes - shared.outgoingBytes) return SendResult::kQueueFull;
        shared.outgoingBytes += cost;
        shared.outgoing.push_back(std::move(message));
        wake = !std::exchange(shared.sendWakePending, true);
    }
    if (wake) service.wake();
    return SendResult::kQueued;
}

SendResult Channel::Worker::queueControl(bool isPing, std::string payload) {
    if (payload.size() > kMaxControlPayload) return SendResult::kTooLarge;
    const std::size_t cost = payload.size() + kQueuedMessageOverhead;
    bool wake;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (!shared.accepting) return SendResult::kClosed;
        if (cost > limits.maxQueuedSendBytes - shared.outgoingBytes) return SendResult::kQueueFull;
        shared.outgoingBytes += cost;
        shared.controls.push_back(ControlFrame{isPing, std::move(payload)});
        wake = !std::exchange(shared.sendWakePending, true);
    }
    if (wake) service.wake();
    return SendResult::kQueued;
}

ChannelStatus Channel::status() const {
    std::lock_guard<std::mutex> lock(worker_->shared.mutex);
    return worker_->shared.status;
}

MessagePtr Channel::latest() const {
    std::lock_guard<std::mutex> lock(worker_->shared.mutex);
    return worker_->shared.latest;
}

std::vector<ChannelEvent> Channel::drainEvents() {
    std::vector<ChannelEvent> drained;
    bool resumeReading;
    {
        std::lock_guard<std::mutex> lock(worker_->shared.mutex);
        auto& events = worker_->shared.events;
        drained.assign(std::make_move_iterator(events.begin()),
                       std::make_move_iterator(events.end()));
        events.clear();
        worker_->shared.eventBytes = 0;
        resumeReading = worker_->shared.readingPaused;
        worker_->shared.readingPaused = false;
    }
    if (resumeReading) worker_->service.wake();
    return drained;
}

// ---------------------------------------------------------------------------------------------
// The worker thread.

lws_context* Channel::Worker::createContext() {
    lws_context_creation_info info;
    initContextInfo(info, this, /*tls=*/true);
    // Without a limit lws sizes its fd table by `ulimit -n`: one connection, the event pipe.
    info.fd_limit_per_thread = 16;
    // Our own timers bound the handshakes (connectTimeout) and the closing handshake
    // (closeTimeout); lws's own, with less clear messages, must not fire first.
    info.timeout_secs = 24 * 3600;
    context = lws_create_context(&info);
    if (!context) return nullptr;

    static const lws_protocols kProtocols[] = {
        {kProtocolName, &Worker::callback, 0, kClientReceiveChunkBytes, 0, nullptr,
         kSocketChunkBytes},
        {nullptr, nullptr, 0, 0, 0, nullptr, 0},
    };
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = kProtocols;
    info.vhost_name = "wsdemo-control";
    info.options &= ~static_cast<uint64_t>(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT);
    controlVhost = lws_create_vhost(context, &info);
    if (!controlVhost) {
        lws_context_destroy(context);
        context = nullptr;
        std::lock_guard<std::mutex> lock(shared.mutex);
        shared.stopping = true;
        shared.status.error = "could not create the libwebsockets context";
        return nullptr;
    }
    return context;
}

bool Channel::Worker::finished() {
    std::lock_guard<std::mutex> lock(shared.mutex);
    return shared.stopping;
}

void Channel::Worker::beforeDestroy() {
    destroying = true;
    abandonResolver();
    kickTimer.cancel();
    reconnectTimer.cancel();
    connectTimer.cancel();
    closeTimer.cancel();
    keepaliveTimer.cancel();
}

// Notes when the server asks for a client certificate (see onConnectionError()).
void Channel::Worker::onTlsStep(const SSL* ssl, int where, int) {
    if (!(where & SSL_CB_LOOP) || SSL_get_state(ssl) != TLS_ST_CR_CERT_REQ) return;
    static_cast<Worker*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)))->certificateRequested = true;
}

int Channel::Worker::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                              std::size_t len) {
    auto* self = static_cast<Worker*>(lws_context_user(lws_get_context(wsi)));
    if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS) {
        // Our own info callback on the vhost's client SSL_CTX: lws's (ssl_info_event_mask)
        // crashes in wsi_from_fd() for client connections in 4.1.6.
        auto* sslContext = static_cast<SSL_CTX*>(user);
        SSL_CTX_set_app_data(sslContext, self);
        SSL_CTX_set_info_callback(sslContext, &Worker::onTlsStep);
        return 0;
    }
    if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
        self->onCertificateVerified(static_cast<X509_STORE_CTX*>(user), len != 0);
        return 0;  // OpenSSL's verdict stands.
    }
    return self->onCallback(wsi, reason, in, len);
}

int Channel::Worker::onCallback(lws* callbackWsi, lws_callback_reasons reason, void* in,
                                std::size_t len) {
    if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
        // Never return -1 here: it would free the event pipe lws_cancel_service() writes.
        if (!destroying) onWakeRequests();
        return 0;
    }
    // Every other reason is about our one connection; a stand-in wsi is not it.
    if (!wsi || callbackWsi != wsi) return 0;
    switch (reason) {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            return onAppendHeaders(callbackWsi, static_cast<char**>(in), len);
        case LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED:
            // Nonzero: not offered.
            return target.options.compression ? 0 : 1;
        case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
            onPreEstablish(callbackWsi);
            return 0;
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            onEstablished(callbackWsi);
            return 0;
        case LWS_CALLBACK_CLIENT_RECEIVE:
            return onReceive(callbackWsi, in, len);
        case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
            onPong(in, len);
            return 0;
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return onWriteable(callbackWsi);
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            return onPeerClose(callbackWsi, in, len);
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            onConnectionError(callbackWsi, in);
            return 0;
        case LWS_CALLBACK_CLIENT_CLOSED:
            onClosed();
            return 0;
        case LWS_CALLBACK_WSI_DESTROY:
            onWsiDestroyed();
            return 0;
        default:
            return 0;
    }
}

// ---- Requests ----

void Channel::Worker::onWakeRequests() {
    if (mailbox) {
        std::optional<ResolveResult> result;
        {
            std::lock_guard<std::mutex> lock(mailbox->mutex);
            result = std::move(mailbox->result);
            mailbox->result.reset();
        }
        if (result) onResolved(std::move(*result));
    }
    std::deque<Request> requests;
    bool resumeReading, writeWanted;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        requests.swap(shared.requests);
        shared.sendWakePending = false;  // Taken: writeWanted covers what is queued now.
        // Busy from the moment a connect is taken, not from when it starts: a disconnect in
        // between must find something to end.
        for (const auto& request : requests)
            if (std::holds_alternative<ConnectRequest>(request)) shared.idle = false;
        resumeReading = readingPaused && !shared.readingPaused;
        writeWanted = !shared.outgoing.empty() || !shared.controls.empty();
    }
    for (auto& request : requests) {
        if (auto* connect = std::get_if<ConnectRequest>(&request))
            handleConnect(std::move(*connect));
        else
            handleDisconnect(std::move(std::get<DisconnectRequest>(request)));
    }
    if (!requests.empty()) {
        // ~Channel waits for idle with no request left: a disconnect that found the channel
        // closed already (it went idle while the destructor queued it) changes nothing else.
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (shared.idle) shared.idleChanged.notify_all();
    }
    if (!wsi || !established || !attemptActive) return;
    if (resumeReading) {
        readingPaused = false;
        lastHeard = SteadyClock::now();  // Our pause was no silence of the peer's.
        lws_rx_flow_control(wsi, 1);
    }
    if (writeWanted || closeWanted) lws_callback_on_writable(wsi);
}

void Channel::Worker::handleConnect(ConnectRequest request) {
    reconnectTimer.cancel();
    reconnectDue = false;
    if (attemptActive) {
        nextConnect = std::move(request);
        switching = true;
        if (established) {
            // The message being written finishes; then 1000, then the new connection.
            if (!closeWanted) closeWanted = DisconnectRequest{};
            lws_callback_on_writable(wsi);
        } else {
            cancelAttempt("connect() to another URL replaced this attempt");
        }
        return;
    }
    if (wsi) {  // The last connection ended but lws has not let go of it yet.
        nextConnect = std::move(request);
        return;
    }
    startAttempt(request);
}

void Channel::Worker::handleDisconnect(DisconnectRequest request) {
    const bool connectWaiting = nextConnect.has_value();
    nextConnect.reset();
    switching = false;
    if (attemptActive) {
        if (established) {
            if (!closeWanted) closeWanted = std::move(request);
            lws_callback_on_writable(wsi);
        } else {
            cancelAttempt("disconnected before the connection was established");
        }
        return;
    }
    if (!reconnectDue && !connectWaiting) return;  // Closed already.
    if (reconnectDue) {
        reconnectTimer.cancel();
        reconnectDue = false;
        status.failure = FailureStage::kCancelled;
        status.error = "reconnecting was cancelled";
    }
    giveUp();
}

void Channel::Worker::startAttempt(const ConnectRequest& request) {
    target = request;
    ++connection;
    attemptActive = true;
    established = false;
    readingPaused = false;
    closeWanted.reset();
    switching = false;
    closeFrameSent = closeFrameDue = closeTimedOut = peerClosed = emptyCloseSent = false;
    certificateRequested = false;
    sentCloseCode = peerCloseCode = 0;
    sentCloseReason.clear();
    peerCloseReason.clear();
    failureStage = FailureStage::kNone;
    failure.clear();
    tlsError.clear();
    outstandingPings.clear();
    keepalivePingDue = false;
    assembler.emplace(request.options.maxMessageBytes);
    status = ChannelStatus{};
    status.url = request.failure == FailureStage::kNone ? request.url.toString() : request.urlText;
    if (request.failure != FailureStage::kNone) {
        finish(request.failure, 0, {}, request.error);
        return;
    }
    status.state = ReadyState::kConnecting;
    connectTimer.schedule(context, request.options.connectTimeout.count() * LWS_US_PER_MS);
    if (isNumericHost(request.url.host)) {
        status.stage = ConnectStage::kTcp;
        publishState();
        startLws(request.url.host);
        return;
    }
    status.stage = ConnectStage::kResolving;
    publishState();
    mailbox = std::make_shared<ResolveMailbox>();
    mailbox->worker = &service;
    // Detached: a resolver that never returns holds up nothing. It keeps the mailbox (and its
    // own copy of the resolver) alive, and wakes the worker only while the attempt wants it.
    try {
        std::thread([box = mailbox, resolve = resolver, host = request.url.host] {
            ResolveResult result = resolve(host);
            std::lock_guard<std::mutex> lock(box->mutex);
            if (box->abandoned) return;
            box->result = std::move(result);
            box->worker->wake();
        }).detach();
    } catch (const std::system_error& error) {
        finish(
            FailureStage::kDns, 0, {},
            "cannot connect to " + status.url + ": no thread to resolve the name: " + error.what());
    }
}

void Channel::Worker::onResolved(ResolveResult result) {
    mailbox.reset();
    if (!attemptActive) return;
    if (auto* error = std::get_if<std::string>(&result)) {
        finish(FailureStage::kDns, 0, {}, "cannot connect to " + status.url + ": " + *error);
        return;
    }
    status.stage = ConnectStage::kTcp;
    publishState();
    startLws(std::get<ResolvedAddress>(result).numericHost);
}

// The vhost carries the TLS files (lws 4.1.6 reads them per vhost): kept while they stay the
// same, else replaced. Only called while no wsi exists, so the old one is unbound and
// lws_vhost_destroy() frees it at once (with a wsi bound, 4.1.6 would only defer it).
bool Channel::Worker::useVhost(const ConnectRequest& request) {
    VhostConfig wanted{request.url.secure, {}, {}, {}};
    if (request.url.secure)
        wanted = VhostConfig{true, request.options.tls.caFile, request.options.tls.certFile,
                             request.options.tls.keyFile};
    if (vhost && wanted == vhostConfig) return true;
    if (vhost) lws_vhost_destroy(vhost);
    vhost = nullptr;

    static const lws_protocols kProtocols[] = {
        {kProtocolName, &Worker::callback, 0, kClientReceiveChunkBytes, 0, nullptr,
         kSocketChunkBytes},
        {nullptr, nullptr, 0, 0, 0, nullptr, 0},
    };
    // Offered unless a connection says otherwise (CLIENT_CONFIRM_EXTENSION_SUPPORTED).
    static const lws_extension kExtensions[] = {
        {"permessage-deflate", permessageDeflate, "permessage-deflate; client_max_window_bits"},
        {nullptr, nullptr, nullptr},
    };
    lws_context_creation_info info;
    initContextInfo(info, this, wanted.secure);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = kProtocols;
    info.extensions = kExtensions;
    const std::string name = "wsdemo-" + std::to_string(++vhostCount);
    info.vhost_name = name.c_str();
    if (!wanted.caFile.empty()) info.client_ssl_ca_filepath = wanted.caFile.c_str();
    if (!wanted.certFile.empty()) info.client_ssl_cert_filepath = wanted.certFile.c_str();
    if (!wanted.keyFile.empty()) info.client_ssl_private_key_filepath = wanted.keyFile.c_str();
    vhost = lws_create_vhost(context, &info);
    if (!vhost) return false;
    vhostConfig = wanted;
    return true;
}

void Channel::Worker::startLws(const std::string& numericHost) {
    const WsUrl& url = target.url;
    if (!useVhost(target)) {
        finish(FailureStage::kOptions, 0, {},
               "cannot connect to " + status.url +
                   ": the TLS files could not be loaded (not PEM, or the key does not match "
                   "the certificate)");
        return;
    }
    // Host header, SNI and the certificate's name check all use `host` (lws 4.1.6:
    // lws_ssl_client_bio_create() reads the stashed host, the handshake _WSI_TOKEN_CLIENT_HOST
    // made from it); `address` is only resolved (numeric here) and connected to. The port only
    // when it is not the scheme's default (RFC 6455 4.1).
    const bool defaultPort = url.port == (url.secure ? 443 : 80);
    const bool ipv6 = url.host.find(':') != std::string::npos;
    std::string hostHeader = ipv6 ? "[" + url.host + "]" : url.host;
    if (!defaultPort) hostHeader += ":" + std::to_string(url.port);
    std::string protocols;
    for (const std::string& name : target.options.subprotocols)
        protocols += (protocols.empty() ? "" : ", ") + name;

    lws_client_connect_info connect;
    std::memset(&connect, 0, sizeof connect);
    connect.context = context;
    connect.vhost = vhost;
    connect.address = numericHost.c_str();
    connect.port = url.port;
    connect.path = url.path.c_str();
    connect.host = hostHeader.c_str();
    if (!protocols.empty()) connect.protocol = protocols.c_str();
    if (url.secure) {
        connect.ssl_connection = LCCSCF_USE_SSL;
        if (!target.options.tls.verifyCertificate)
            connect.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_ALLOW_EXPIRED;
        if (!target.options.tls.verifyHostname)
            connect.ssl_connection |= LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK;
    }
    connect.local_protocol_name = kProtocolName;
    connect.pwsi = &wsi;
    if (!lws_client_connect_via_info(&connect) && attemptActive)
        finish(FailureStage::kTcp, 0, {},
               "cannot connect to " + status.url + ": libwebsockets could not start it");
}

// A resolver still running will neither deliver nor wake: it may outlive the Channel.
void Channel::Worker::abandonResolver() {
    if (!mailbox) return;
    {
        std::lock_guard<std::mutex> lock(mailbox->mutex);
        mailbox->abandoned = true;
    }
    mailbox.reset();
}

// Gives up an attempt that has not opened: at once, whatever lws still does with it.
void Channel::Worker::cancelAttempt(std::string error) {
    if (wsi) lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    finish(FailureStage::kCancelled, 0, {}, std::move(error));
}

// The attempt is over: publish its kClosed status, then reconnect, switch or give up.
void Channel::Worker::finish(FailureStage failureAt, uint16_t closeCode, std::string closeReason,
                             std::string error) {
    if (!attemptActive) return;
    attemptActive = false;
    abandonResolver();
    connectTimer.cancel();
    closeTimer.cancel();
    keepaliveTimer.cancel();
    if (assembler) assembler->reset();  // A message cut off by the end is never published.
    writer.reset();
    const auto& reconnect = target.options.reconnect;
    const bool ourClose = closeWanted && !switching;
    const bool willReconnect =
        !destroying && !ourClose && !nextConnect && reconnect.enabled &&
        failureAt != FailureStage::kUrl && failureAt != FailureStage::kOptions &&
        failureAt != FailureStage::kCancelled &&
        (reconnect.maxAttempts == 0 || reconnectAttempt < reconnect.maxAttempts);
    if (inFlight) {
        // Cut off: the peer never had it whole. It goes again, first, on the next connection.
        std::lock_guard<std::mutex> lock(shared.mutex);
        shared.outgoingBytes += inFlight->data.size() + kQueuedMessageOverhead;
        shared.outgoing.push_front(std::move(inFlight));
        inFlight.reset();
    }
    status.state = ReadyState::kClosed;
    status.failure = established ? FailureStage::kNone : failureAt;
    if (established) {
        status.closeCode = closeCode;
        status.closeReason = std::move(closeReason);
    }
    status.error = std::move(error);
    if (nextConnect) {
        publishState();
        if (!wsi) kickTimer.schedule(context, 1);  // Else WSI_DESTROY kicks.
        return;
    }
    if (willReconnect) {
        ++reconnectAttempt;
        const auto delay = reconnectDelay(reconnect, reconnectAttempt,
                                          std::uniform_real_distribution<double>(0.0, 1.0)(random));
        reconnectDue = true;
        publish(StateChanged{status}, ReconnectScheduled{reconnectAttempt, delay});
        reconnectTimer.schedule(context, delay.count() * LWS_US_PER_MS);
        return;
    }
    giveUp();
}

// No connection and none coming: what was queued is reported as never sent.
void Channel::Worker::giveUp() {
    reconnectAttempt = 0;
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        status.unsentMessages = shared.outgoing.size() + shared.controls.size();
        shared.outgoing.clear();
        shared.controls.clear();
        shared.outgoingBytes = 0;
        bool connectComing = false;
        for (const auto& request : shared.requests)
            connectComing |= std::holds_alternative<ConnectRequest>(request);
        if (!connectComing) shared.accepting = false;
    }
    if (connection > 0) publishState();
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.idle = true;
    shared.idleChanged.notify_all();
}

void Channel::Worker::onKick() {
    if (destroying || wsi || attemptActive || !nextConnect) return;
    ConnectRequest request = std::move(*nextConnect);
    nextConnect.reset();
    startAttempt(request);
}

void Channel::Worker::onReconnectDue() {
    reconnectDue = false;
    if (wsi) {  // lws still holds the last connection: never two at once.
        reconnectDue = true;
        reconnectTimer.schedule(context, 10 * LWS_US_PER_MS);
        return;
    }
    startAttempt(target);
}

void Channel::Worker::onConnectTimeout() {
    if (!attemptActive || established) return;
    if (wsi) lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    finish(FailureStage::kTimeout, 0, {},
           "cannot connect to " + status.url + ": no WebSocket handshake within " +
               secondsText(target.options.connectTimeout));
}

// While closing, the peer may still be sending what it had queued (a 16 MiB echo): only
// closeTimeout of silence gives up on it. ~Channel bounds its own wait regardless.
void Channel::Worker::onCloseTimeout() {
    if (!wsi || !attemptActive) return;
    if (readingPaused) lastHeard = SteadyClock::now();  // Our pause, not the peer's silence.
    const auto quiet = SteadyClock::now() - lastHeard;
    if (quiet < limits.closeTimeout) {
        const auto left =
            std::chrono::duration_cast<std::chrono::microseconds>(limits.closeTimeout - quiet);
        closeTimer.schedule(context, std::max<lws_usec_t>(left.count(), 1));
        return;
    }
    closeTimedOut = true;
    failure = "the server did not complete the closing handshake (silent for " +
              secondsText(limits.closeTimeout) + ")";
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

// Runs every quarter interval. A ping goes out once half an interval has passed in silence
// (three quarters at the latest), so its answer has a quarter interval or more to come back.
// While we ourselves stopped reading, the peer's frames wait unread: that is not its silence.
void Channel::Worker::onKeepaliveTick() {
    if (!wsi || !established || !attemptActive) return;
    const auto interval = target.options.pingInterval;
    const auto now = SteadyClock::now();
    if (readingPaused) lastHeard = now;
    const auto silence = now - lastHeard;
    if (silence >= interval) {
        // A peer that answers nothing will not answer a close frame either: drop it.
        failure = "the server did not answer pings for " + secondsText(interval);
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        return;
    }
    if (silence >= interval / 2) {
        keepalivePingDue = true;
        lws_callback_on_writable(wsi);
    }
    keepaliveTimer.schedule(context, interval.count() * LWS_US_PER_MS / 4);
}

// ---- The connection's callbacks ----

void Channel::Worker::onCertificateVerified(X509_STORE_CTX* store, bool ok) {
    if (!attemptActive) return;
    if (status.stage == ConnectStage::kTcp) {
        status.stage = ConnectStage::kTls;  // TCP is up: the certificate is being checked.
        publishState();
    }
    if (ok || !tlsError.empty()) return;  // The first error is the one that explains.
    const int error = X509_STORE_CTX_get_error(store);
    tlsError = std::string("the server's TLS certificate was rejected: ") +
               X509_verify_cert_error_string(error);
}

int Channel::Worker::onAppendHeaders(lws* callbackWsi, char** position, std::size_t space) {
    if (!attemptActive) return -1;
    status.stage = ConnectStage::kUpgrade;
    publishState();
    auto** p = reinterpret_cast<unsigned char**>(position);
    unsigned char* end = *p + space;
    const auto add = [&](const std::string& name, const std::string& value) {
        const std::string field = name + ":";
        return lws_add_http_header_by_name(callbackWsi,
                                           reinterpret_cast<const unsigned char*>(field.c_str()),
                                           reinterpret_cast<const unsigned char*>(value.data()),
                                           static_cast<int>(value.size()), p, end) == 0;
    };
    bool fits = target.options.origin.empty() || add("Origin", target.options.origin);
    for (const Header& header : target.options.headers)
        fits = fits && add(header.name, header.value);
    if (fits) return 0;
    failureStage = FailureStage::kOptions;
    failure = "the extra request headers do not fit in the " + std::to_string(space) +
              " bytes left for them";
    return -1;
}

// The response's headers are still there (lws drops them before ESTABLISHED).
void Channel::Worker::onPreEstablish(lws* callbackWsi) {
    const auto header = [&](lws_token_indexes token) {
        const int length = lws_hdr_total_length(callbackWsi, token);
        if (length <= 0) return std::string();
        std::string text(static_cast<std::size_t>(length) + 1, '\0');
        const int copied = lws_hdr_copy(callbackWsi, text.data(), length + 1, token);
        text.resize(copied > 0 ? static_cast<std::size_t>(copied) : 0);
        return text;
    };
    status.protocol = header(WSI_TOKEN_PROTOCOL);
    status.extensions = header(WSI_TOKEN_EXTENSIONS);
}

void Channel::Worker::onEstablished(lws* callbackWsi) {
    established = true;
    reconnectAttempt = 0;
    connectTimer.cancel();
    lastHeard = SteadyClock::now();
    const auto interval = target.options.pingInterval;
    if (interval.count() > 0)
        keepaliveTimer.schedule(context, interval.count() * LWS_US_PER_MS / 4);
    status.state = ReadyState::kOpen;
    publishState();
    if (!target.options.autoPong) stopAnsweringPings(callbackWsi);
    lws_callback_on_writable(callbackWsi);  // Messages sent while connecting, or a close.
}

int Channel::Worker::onReceive(lws* callbackWsi, const void* in, std::size_t len) {
    lastHeard = SteadyClock::now();
    if (closeFrameDue || closeFrameSent) return 0;  // Failing or closing: dropped.
    switch (assembler->append(callbackWsi, in, len)) {
        case MessageAssembler::Result::kIncomplete:
            return 0;
        case MessageAssembler::Result::kTooBig:
            return failFromReceive(callbackWsi, CloseCode::kMessageTooBig, "message too big",
                                   "received a message larger than the limit of " +
                                       std::to_string(target.options.maxMessageBytes) + " bytes");
        case MessageAssembler::Result::kInvalidUtf8:
            return failFromReceive(callbackWsi, CloseCode::kInvalidPayload, "invalid UTF-8",
                                   "received a text message that is not valid UTF-8");
        case MessageAssembler::Result::kComplete:
            break;
    }
    Message message = assembler->take();
    message.receivedAt = SteadyClock::now();
    publish(MessageReceived{std::make_shared<const Message>(std::move(message))});
    return 0;
}

void Channel::Worker::onPong(const void* in, std::size_t len) {
    const auto now = SteadyClock::now();
    lastHeard = now;
    PongReceived pong{std::string(static_cast<const char*>(in), len), std::nullopt};
    // Ours, oldest first; the pings before it went unanswered (a peer may answer only the
    // latest).
    const auto match =
        std::find_if(outstandingPings.begin(), outstandingPings.end(),
                     [&](const OutstandingPing& ping) { return ping.payload == pong.payload; });
    if (match != outstandingPings.end()) {
        pong.roundTrip =
            std::max(std::chrono::microseconds(1),
                     std::chrono::duration_cast<std::chrono::microseconds>(now - match->sentAt));
        outstandingPings.erase(outstandingPings.begin(), match + 1);
    }
    publish(std::move(pong));
}

// RECEIVE must not return -1 in the middle of a frame: lws 4.1.6 then writes past the end of
// its receive buffer (valgrind: "invalid write ... 0 bytes after a block of size 4,116").
// The close frame goes out from the next WRITEABLE instead; what arrives until then is dropped.
int Channel::Worker::failFromReceive(lws* callbackWsi, uint16_t code, const char* reason,
                                     std::string error) {
    failure = std::move(error);
    sentCloseCode = code;
    sentCloseReason = reason;
    closeFrameDue = true;
    lws_callback_on_writable(callbackWsi);
    return 0;
}

// lws 4.1.6 answers pings itself, with no switch to turn that off, but its client parser drops
// every ping while a close reason is stashed (lib/roles/ws/client-parser-ws.c, LWSWSOPC_PING:
// "if (wsi->ws->close_in_ping_buffer_len) goto ping_drop;"), and lws_close_reason() only
// stashes one (lib/roles/ws/ops-ws.c) until a callback returns -1. Every close frame sent
// later carries its own payload over the stash: ours (closeWith() in sendCloseFrame(), also for
// failFromReceive()'s 1009 and 1007), lws's own 1007 (lws_close_reason() first), and the echo
// of the peer's close (the parser copies the peer's payload over it). One path sends the stash
// itself: a frame lws's parser refuses (reserved opcode or bits, bad control frame) makes it
// close with no status, which rops_close_via_role_protocol_ws() turns into a close frame when
// a reason is stashed instead of a bare TCP drop. Hence 1002, what RFC 6455 7.4.1 asks there.
void Channel::Worker::stopAnsweringPings(lws* callbackWsi) {
    lws_close_reason(callbackWsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, nullptr, 0);
}

int Channel::Worker::sendCloseFrame(lws* callbackWsi, uint16_t code, const std::string& reason) {
    closeFrameSent = true;
    sentCloseCode = code;
    sentCloseReason = reason;
    if (!peerClosed) status.closedBy = CloseInitiator::kClient;
    status.state = ReadyState::kClosing;
    publishState();
    closeTimer.schedule(context, limits.closeTimeout.count() * LWS_US_PER_MS);
    if (code == 0) return sendEmptyCloseFrame(callbackWsi);
    // lws writes the close frame and waits for the peer's.
    return closeWith(callbackWsi, code, reason);
}

// disconnectUnchecked(0): lws_close_reason() always writes a code and lws_write() has no public
// close opcode, so the frame is built here and goes out raw (LWS_WRITE_HTTP, as MessageWriter
// does); lws goes on as if open, and the peer's close ends the connection (onPeerClose()).
int Channel::Worker::sendEmptyCloseFrame(lws* callbackWsi) {
    emptyCloseSent = true;
    wsframe::MaskKey key;
    if (!maskKeys.next(key)) return -1;
    constexpr unsigned char kFinClose = 0x88, kMaskedEmpty = 0x80;
    unsigned char buffer[LWS_PRE + 6] = {};
    unsigned char* frame = buffer + LWS_PRE;
    frame[0] = kFinClose;
    frame[1] = kMaskedEmpty;
    std::memcpy(frame + 2, key.data(), key.size());
    return lws_write(callbackWsi, frame, 6, LWS_WRITE_HTTP) < 6 ? -1 : 0;
}

bool Channel::Worker::writeControlFrames(lws* callbackWsi) {
    // Control frames may go between the fragments of a message, never inside a frame.
    while (!lws_partial_buffered(callbackWsi)) {
        ControlFrame frame;
        bool keepalive = false;
        if (keepalivePingDue) {
            keepalivePingDue = false;
            keepalive = true;
        } else {
            std::lock_guard<std::mutex> lock(shared.mutex);
            if (shared.controls.empty()) return true;
            frame = std::move(shared.controls.front());
            shared.controls.pop_front();
            shared.outgoingBytes -= frame.payload.size() + kQueuedMessageOverhead;
        }
        unsigned char buffer[LWS_PRE + kMaxControlPayload];
        std::memcpy(buffer + LWS_PRE, frame.payload.data(), frame.payload.size());
        const auto kind = frame.ping ? LWS_WRITE_PING : LWS_WRITE_PONG;
        if (lws_write(callbackWsi, buffer + LWS_PRE, frame.payload.size(), kind) <
            static_cast<int>(frame.payload.size()))
            return false;
        if (frame.ping) {
            if (outstandingPings.size() == kMaxOutstandingPings) outstandingPings.pop_front();
            outstandingPings.push_back({frame.payload, SteadyClock::now()});
            publish(PingSent{std::move(frame.payload), keepalive});
        } else {
            publish(PongSent{std::move(frame.payload)});
        }
    }
    return true;
}

int Channel::Worker::onWriteable(lws* callbackWsi) {
    if (closeFrameDue) {
        closeFrameDue = false;
        return sendCloseFrame(callbackWsi, sentCloseCode, sentCloseReason);
    }
    // After the close frame lws calls once more: returning -1 would cut the handshake short.
    if (closeFrameSent) return 0;
    if (!writeControlFrames(callbackWsi)) return -1;
    bool wrote = false;
    const auto next = [&]() -> MessagePtr {
        if (switching) return nullptr;  // The next connection takes the rest of the queue.
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (shared.outgoing.empty()) return nullptr;
        inFlight = std::move(shared.outgoing.front());
        shared.outgoing.pop_front();
        shared.outgoingBytes -= inFlight->data.size() + kQueuedMessageOverhead;
        wrote = true;
        return inFlight;
    };
    const auto written = [&](const MessagePtr& message) {
        inFlight.reset();
        publish(MessageSent{message});
    };
    switch (writer.write(callbackWsi, next, written)) {
        case MessageWriter::Result::kFailed:
            return -1;
        case MessageWriter::Result::kMore:
            lws_callback_on_writable(callbackWsi);
            return 0;
        case MessageWriter::Result::kIdle:
            break;
    }
    if (!closeWanted) return 0;
    // The close frame gets a callback of its own, once lws holds nothing partly written:
    // closing with bytes still buffered makes the peer see 1006.
    if (wrote || lws_partial_buffered(callbackWsi)) {
        lws_callback_on_writable(callbackWsi);
        return 0;
    }
    return sendCloseFrame(callbackWsi, closeWanted->code, closeWanted->reason);
}

int Channel::Worker::onPeerClose(lws* callbackWsi, const void* in, std::size_t len) {
    lastHeard = SteadyClock::now();
    // lws 4.1.6 turns codes 1005, 1006, 1012-1015 and those under 3000 it does not know into
    // 1002 before we see them, but passes 1 byte, codes from 5000 up and any reason bytes on.
    const auto parsed = parseClosePayload(std::string_view(static_cast<const char*>(in), len));
    if (const auto* bad = std::get_if<ClosePayloadError>(&parsed)) {
        failure = "the server sent " + bad->error;
        return sendCloseFrame(
            callbackWsi, bad->answerCode,
            bad->answerCode == CloseCode::kProtocolError ? "bad close frame" : "invalid UTF-8");
    }
    peerClosed = true;
    peerCloseCode = std::get<ClosePayload>(parsed).code;
    peerCloseReason = std::get<ClosePayload>(parsed).reason;
    if (emptyCloseSent) {
        // The answer to our empty close frame: lws, which never saw ours, would answer this
        // one. Dropped before it writes: a timeout kill sends no close frame (wsi-timeout.c).
        lws_set_timeout(callbackWsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        return 0;
    }
    if (!closeFrameSent) {
        status.closedBy = CloseInitiator::kServer;
        status.state = ReadyState::kClosing;
        publishState();
    }
    return 0;
}

void Channel::Worker::onClosed() {
    if (!failure.empty()) {
        const bool endedByOurClose = closeFrameSent && !closeTimedOut;
        finish(failureStage, endedByOurClose ? sentCloseCode : CloseCode::kAbnormal,
               endedByOurClose ? sentCloseReason : std::string(), failure);
    } else if (peerClosed) {
        finish(FailureStage::kNone, peerCloseCode, peerCloseReason, {});
    } else if (closeFrameSent) {
        finish(FailureStage::kNone, sentCloseCode, sentCloseReason, {});
    } else {
        // lws 4.1.6 answers a protocol violation (reserved bits or opcodes, bad control
        // frames...) by dropping TCP the same way, with nothing that tells the two apart.
        status.closedBy = CloseInitiator::kNone;
        finish(FailureStage::kNone, CloseCode::kAbnormal, {},
               "the connection was dropped without a close frame (by the network, the server, "
               "or for a protocol violation)");
    }
}

void Channel::Worker::onConnectionError(lws* callbackWsi, const void* in) {
    const std::string text = "cannot connect to " + status.url + ": ";
    const unsigned int httpStatus = lws_http_client_http_response(callbackWsi);
    const std::string detail = in ? static_cast<const char*>(in) : "";
    if (!failure.empty()) {
        finish(failureStage, 0, {}, text + failure);
    } else if (httpStatus && httpStatus != 101) {
        finish(FailureStage::kHttp, 0, {},
               text + "the server answered HTTP " + std::to_string(httpStatus) +
                   " instead of 101 Switching Protocols");
    } else if (!tlsError.empty()) {
        finish(FailureStage::kTls, 0, {}, text + tlsError);
    } else if (detail == "Unable to connect") {
        // lws 4.1.6 says only this for every failed TCP connect, and has closed the socket
        // (and with it SO_ERROR) by the time we hear of it.
        finish(FailureStage::kTcp, 0, {},
               text + "the TCP connection was refused, or the host is unreachable");
    } else if (certificateRequested) {
        failForClientCertificate(detail);
    } else if (detail.rfind("connect SSL err", 0) == 0) {
        // OpenSSL's own text for a failed handshake says nothing a user can act on.
        finish(FailureStage::kTls, 0, {},
               text + "the TLS handshake failed (is this a TLS server?): " + detail);
    } else {
        const FailureStage stage = status.stage == ConnectStage::kUpgrade ? FailureStage::kHttp
                                   : status.stage == ConnectStage::kTls   ? FailureStage::kTls
                                                                          : FailureStage::kTcp;
        finish(stage, 0, {}, text + (detail.empty() ? "unknown error" : detail));
    }
}

// TLS 1.3: our side of the handshake is over before the server judges our certificate; a server
// that rejects it (or its absence) just closes: OpenSSL sees an EOF, or, when our upgrade request
// went out first, lws just lets the connection go.
void Channel::Worker::failForClientCertificate(const std::string& detail) {
    const bool presented = !target.options.tls.certFile.empty();
    finish(FailureStage::kTls, 0, {},
           "cannot connect to " + status.url +
               ": the server asked for a client certificate and closed the connection: " +
               (presented ? "it did not accept " + printableQuote(target.options.tls.certFile)
                          : std::string("none was given (--cert and --key)")) +
               " (" + (detail.empty() ? "no detail" : detail) + ")");
}

void Channel::Worker::onWsiDestroyed() {
    wsi = nullptr;
    // lws 4.1.6 reports a server that never answers the upgrade only this way.
    if (attemptActive && certificateRequested)
        failForClientCertificate("closed during the upgrade");
    else if (attemptActive)
        finish(FailureStage::kHttp, 0, {},
               "cannot connect to " + status.url +
                   ": the server closed the connection during the handshake");
    // The next connection starts outside this wsi's callbacks, once lws has let go of it.
    if (nextConnect && !destroying) kickTimer.schedule(context, 1);
}

// ---- Events ----

void Channel::Worker::pauseReadingIfFull(std::unique_lock<std::mutex>& lock) {
    const bool full = shared.events.size() >= limits.maxQueuedEvents ||
                      shared.eventBytes >= limits.maxQueuedEventBytes;
    if (!full || readingPaused || !wsi || !established) return;
    shared.readingPaused = true;
    lock.unlock();
    readingPaused = true;
    lws_rx_flow_control(wsi, 0);
}

// Several events go in under one lock: a consumer never sees the first without the rest
// (a kClosed status without the reconnect that follows it).
template <class... What>
void Channel::Worker::publish(What... whats) {
    bool wasEmpty;
    {
        std::unique_lock<std::mutex> lock(shared.mutex);
        wasEmpty = shared.events.empty();
        const auto now = SteadyClock::now();
        const auto add = [&](auto what) {
            using Kind = decltype(what);
            if constexpr (std::is_same_v<Kind, MessageReceived>) {
                shared.latest = what.message;
                shared.eventBytes += what.message->data.size();
            }
            if constexpr (std::is_same_v<Kind, StateChanged>) shared.status = what.status;
            shared.events.push_back(ChannelEvent{now, connection, std::move(what)});
        };
        (add(std::move(whats)), ...);
        if (!destroying) pauseReadingIfFull(lock);
    }
    // A consumer drains every event it is woken for: a wake for a queue that already held
    // events would find nothing new to wait for.
    if (wasEmpty && onWake) onWake();
}

void Channel::Worker::publishState() {
    publish(StateChanged{status});
}

}  // namespace wsdemo
