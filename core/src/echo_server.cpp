#include "wsdemo/echo_server.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <future>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lws_timer.h"
#include "lws_worker.h"
#include "ws_framing.h"

namespace wsdemo {

namespace {

constexpr auto kStopDeadline = LWS_US_PER_SEC;  // For the closing handshakes at stop().
// Descriptors beside the connections: the listener, the event pipe, and connections that are
// closing while their replacements are accepted.
constexpr std::size_t kSpareDescriptors = 16;
// lws keeps its header-table pool size in an unsigned short.
constexpr std::size_t kMaxDescriptors = 65535;
// lws keeps the idle policy's seconds in 16 bits.
constexpr unsigned kMaxTimeoutSeconds = 65535;

// lws's timeouts are whole seconds: round up, so that none is shorter than asked.
unsigned wholeSecondsUp(std::chrono::milliseconds duration) {
    return static_cast<unsigned>((duration.count() + 999) / 1000);
}

void checkOptions(const EchoServerOptions& options) {
    if (options.tlsCertFile.empty() != options.tlsKeyFile.empty())
        throw std::runtime_error(
            "a TLS certificate needs its key and a key its certificate: "
            "give both files or neither");
    if (options.maxConnections == 0 || options.maxPendingConnections == 0)
        throw std::runtime_error("maxConnections and maxPendingConnections must be at least 1");
    if (options.maxConnections + options.maxPendingConnections + kSpareDescriptors >
        kMaxDescriptors)
        throw std::runtime_error("maxConnections + maxPendingConnections must stay below " +
                                 std::to_string(kMaxDescriptors - kSpareDescriptors));
    if (options.handshakeTimeout <= std::chrono::milliseconds::zero() ||
        wholeSecondsUp(options.handshakeTimeout) > kMaxTimeoutSeconds)
        throw std::runtime_error("the handshake timeout must be between 1 ms and 65535 s");
    if (options.idleTimeout < std::chrono::milliseconds::zero() ||
        wholeSecondsUp(options.idleTimeout) > kMaxTimeoutSeconds)
        throw std::runtime_error("the idle timeout must be between 0 (never) and 65535 s");
}

// The TLS files are checked here, where a one-line reason naming the file can be given; lws
// only says that the vhost could not be created.
void checkTlsFiles(const std::string& certFile, const std::string& keyFile) {
    auto open = [](const std::string& file, const char* what) {
        BIO* bio = BIO_new_file(file.c_str(), "r");
        if (!bio)
            throw std::runtime_error("cannot read the TLS " + std::string(what) + " " + file +
                                     ": " + std::strerror(errno));
        return bio;
    };
    BIO* certBio = open(certFile, "certificate");
    X509* cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    BIO_free(certBio);
    if (!cert) throw std::runtime_error("no PEM certificate in " + certFile);
    BIO* keyBio = open(keyFile, "key");
    EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    BIO_free(keyBio);
    const bool matches = key && X509_check_private_key(cert, key) == 1;
    EVP_PKEY_free(key);
    X509_free(cert);
    if (!key) throw std::runtime_error("no unencrypted PEM private key in " + keyFile);
    if (!matches)
        throw std::runtime_error("the TLS key " + keyFile + " does not belong to the certificate " +
                                 certFile);
}

// The kernel refuses descriptors beyond the soft RLIMIT_NOFILE: raise it to the hard limit
// when the ones already open plus the server's would not fit under it, so that every
// connection the options allow can be accepted. Process-wide, and only ever raised.
void ensureDescriptorLimit(std::size_t serverDescriptors) {
    const auto open = std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                    std::filesystem::directory_iterator());
    const std::size_t needed = static_cast<std::size_t>(open) + serverDescriptors;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
    if (limit.rlim_max < needed)
        throw std::runtime_error("the open-file limit (ulimit -Hn " +
                                 std::to_string(limit.rlim_max) + ") is below the " +
                                 std::to_string(needed) +
                                 " descriptors that the open ones and maxConnections + "
                                 "maxPendingConnections need");
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
        throw std::runtime_error("cannot raise the open-file limit to " +
                                 std::to_string(limit.rlim_max) + ": " + std::strerror(errno));
}

std::string hostForUrl(const std::string& address) {
    return address.find(':') == std::string::npos ? address : "[" + address + "]";
}

}  // namespace

bool isLoopbackAddress(const std::string& address) {
    in_addr ipv4{};
    if (inet_pton(AF_INET, address.c_str(), &ipv4) == 1) return (ntohl(ipv4.s_addr) >> 24) == 127;
    in6_addr ipv6{};
    if (inet_pton(AF_INET6, address.c_str(), &ipv6) == 1) return IN6_IS_ADDR_LOOPBACK(&ipv6);
    return address == "localhost";
}

namespace {

using Clock = std::chrono::steady_clock;

// What a connection has to send, in order: an echo or a rule's reply, or a rule's action.
struct Outgoing {
    enum class Kind { kMessage, kClose, kDrop, kPing };
    Kind kind = Kind::kMessage;
    MessagePtr message;     // kMessage.
    uint16_t closeCode{};   // kClose.
    std::string text;       // kClose: the reason; kPing: the payload.
    Clock::time_point due;  // Not sent before (a reply's delay).

    // What it counts against the connection's bound on pending bytes.
    std::size_t cost() const {
        return (message ? message->data.size() : text.size()) + kPendingEchoOverhead;
    }
};

}  // namespace

// Everything behind an EchoServer. Unless a comment says otherwise, members are the server
// thread's alone.
struct EchoServer::Service {
    // A connection's "on": "timer" rule: fires every rule.every from the upgrade.
    class RuleTimer {
    public:
        RuleTimer(Service& service, lws* wsi, const MockRule& rule)
            : service_(service), wsi_(wsi), rule_(rule), start_(Clock::now()) {}
        ~RuleTimer() { timer_.cancel(); }
        RuleTimer(const RuleTimer&) = delete;
        RuleTimer& operator=(const RuleTimer&) = delete;

        // Schedules the next tick, on the grid start + k * every, so that ticks do not drift.
        void scheduleNext();
        void cancel() { timer_.cancel(); }

    private:
        void onTick();

        Service& service_;
        lws* const wsi_;
        const MockRule& rule_;  // Kept alive by its session's rulesAtUpgrade.
        const Clock::time_point start_;
        uint64_t ticks_ = 0;
        LwsTimer<RuleTimer, &RuleTimer::onTick> timer_{*this};
    };

    // One per WebSocket connection, from ESTABLISHED to CLOSED. Constructed in place and never
    // moved: its timers point at it.
    struct Session {
        Session(std::size_t maxMessageBytes, lws* connection)
            : assembler(maxMessageBytes), wsi(connection) {}
        ~Session() { cancelTimers(); }
        Session(const Session&) = delete;
        Session& operator=(const Session&) = delete;

        void cancelTimers() {
            replyTimer.cancel();
            for (auto& timer : ruleTimers) timer->cancel();
        }
        void onReplyDue() { lws_callback_on_writable(wsi); }

        MessageAssembler assembler;
        MessageWriter writer{MessageWriter::Role::kServer};
        lws* const wsi;
        std::deque<Outgoing> pending;  // Echoes, replies and actions not yet started.
        std::size_t pendingBytes = 0;  // Their Outgoing::cost().
        bool readingPaused = false;    // Until the echoes of what was read are written.
        bool stoppedReading = false;   // By a rule: for good.
        // Set when the client broke a rule, or by a rule: what it sends after is dropped, and
        // the close goes out once the message being written is whole.
        std::optional<std::pair<uint16_t, std::string>> closeDue;
        // lws calls WRITEABLE once more after the close frame: answering -1 again would drop
        // TCP before the client's close arrives.
        bool closeSent = false;
        // The rules when the connection was upgraded: its connect and timer rules.
        std::shared_ptr<const MockRules> rulesAtUpgrade;
        std::vector<std::unique_ptr<RuleTimer>> ruleTimers;         // One per timer rule.
        LwsTimer<Session, &Session::onReplyDue> replyTimer{*this};  // For the head's delay.
    };

    explicit Service(EchoServerOptions serverOptions);

    // The C boundary: nothing may unwind through lws's stack.
    static int callback(lws* wsi, lws_callback_reasons reason, void*, void* in,
                        std::size_t len) noexcept;
    int onCallback(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
    lws_context* createContext();
    int refuseUpgrade(lws* wsi, const std::string& reason);
    void onEstablished(lws* wsi);
    void onClosed(lws* wsi);
    int onReceive(lws* wsi, Session& session, const void* in, std::size_t len);
    std::shared_ptr<const MockRules> currentRules();
    void enqueue(Session& session, Outgoing outgoing);
    void enqueueRule(Session& session, const MockRule& rule);
    Outgoing popFront(Session& session);
    MessagePtr nextMessage(Session& session);
    int onWriteable(lws* wsi, Session& session);
    std::optional<int> actOnDue(lws* wsi, Session& session);
    void waitForHead(Session& session);
    void onWakeRequests();
    void onStopDeadline();
    bool finished();
    Session* find(lws* wsi);

    // Constant once the constructor has returned.
    const EchoServerOptions options;
    const bool tls;
    const lws_retry_bo_t idlePolicy;  // The vhost points at it.
    uint16_t port = 0;

    // Shared between the server thread and the owner's (any) threads.
    struct Shared {
        mutable std::mutex mutex;
        bool stopRequested = false;              // Set by stop(), read by the server thread.
        EchoServerStats stats;                   // Written by the server thread, read by stats().
        std::shared_ptr<const MockRules> rules;  // Set by setRules(), read by the server thread.
    } shared;

    std::promise<uint16_t> listening;  // Set once by createContext().
    lws_context* context = nullptr;
    std::unordered_map<lws*, Session> sessions;
    std::size_t pendingEchoes = 0;  // Sums over the sessions, for stats().
    std::size_t pendingBytes = 0;
    bool stopping = false;
    bool deadlinePassed = false;
    LwsTimer<Service, &Service::onStopDeadline> stopTimer{*this};

    // Last: destroyed first, so that the thread has ended before the state above goes.
    LwsWorker worker;
};

namespace {

constexpr lws_usec_t microsecondsUntil(Clock::time_point due, Clock::time_point now) {
    return due <= now ? 0
                      : std::chrono::duration_cast<std::chrono::microseconds>(due - now).count();
}

lws_retry_bo_t idlePolicyFor(std::chrono::milliseconds idleTimeout) {
    lws_retry_bo_t policy{};
    // lws pings after secs_since_valid_ping without a pong (or the upgrade), and drops the
    // connection at secs_since_valid_hangup; a hangup of 0 turns both off.
    const auto hangup = static_cast<uint16_t>(wholeSecondsUp(idleTimeout));
    policy.secs_since_valid_hangup = hangup;
    policy.secs_since_valid_ping = static_cast<uint16_t>((hangup + 1) / 2);
    return policy;
}

}  // namespace

EchoServer::Service::Service(EchoServerOptions serverOptions)
    : options(std::move(serverOptions)),
      tls(!options.tlsCertFile.empty()),
      idlePolicy(idlePolicyFor(options.idleTimeout)) {
    shared.rules = options.rules;
}

void EchoServer::Service::RuleTimer::scheduleNext() {
    ++ticks_;
    const auto due = start_ + rule_.every * ticks_;
    timer_.schedule(lws_get_context(wsi_), microsecondsUntil(due, Clock::now()));
}

void EchoServer::Service::RuleTimer::onTick() {
    Session* session = service_.find(wsi_);
    if (!session) return;
    // A client that does not read must not grow the queue: the tick is skipped while its
    // pending replies are over the bound that pauses reading.
    if (session->pendingBytes <= service_.options.maxMessageBytes)
        service_.enqueueRule(*session, rule_);
    scheduleNext();
}

int EchoServer::Service::callback(lws* wsi, lws_callback_reasons reason, void*, void* in,
                                  std::size_t len) noexcept {
    auto* self = static_cast<Service*>(lws_context_user(lws_get_context(wsi)));
    try {
        return self->onCallback(wsi, reason, in, len);
    } catch (const std::exception&) {
        return -1;  // Out of memory, in practice: this connection ends, the server goes on.
    }
}

lws_context* EchoServer::Service::createContext() {
    static const lws_protocols kProtocols[] = {
        {"wsdemo-echo", &Service::callback, 0, 0, 0, nullptr, 0},
        {nullptr, nullptr, 0, 0, 0, nullptr, 0},
    };
    const std::size_t descriptors =
        options.maxConnections + options.maxPendingConnections + kSpareDescriptors;
    lws_context_creation_info info;
    initContextInfo(info, this, tls);
    // Every accepted connection gets a header table at once: a pool smaller than the
    // descriptors would make a good client wait behind silent ones.
    info.fd_limit_per_thread = static_cast<unsigned int>(descriptors);
    info.max_http_header_pool = static_cast<unsigned short>(descriptors);
    // From accept to the end of the upgrade: TLS handshake (timeout_secs), then the request
    // (its header table's idle timeout, set when the table is attached).
    info.timeout_secs = wholeSecondsUp(options.handshakeTimeout);
    info.timeout_secs_ah_idle = info.timeout_secs;
    info.retry_and_idle_policy = &idlePolicy;
    context = lws_create_context(&info);
    if (!context) {
        listening.set_exception(std::make_exception_ptr(
            std::runtime_error("could not create the libwebsockets context")));
        return nullptr;
    }
    info.port = options.port;
    info.iface = options.bindAddress.c_str();
    info.protocols = kProtocols;
    if (tls) {
        info.ssl_cert_filepath = options.tlsCertFile.c_str();
        info.ssl_private_key_filepath = options.tlsKeyFile.c_str();
    }
    lws_vhost* vhost = lws_create_vhost(context, &info);
    if (!vhost) {
        lws_context_destroy(context);
        context = nullptr;
        listening.set_exception(std::make_exception_ptr(std::runtime_error(
            "cannot listen on " + options.bindAddress + ":" + std::to_string(options.port) +
            (tls ? " with TLS" : "") + " (port in use, or not an address of this machine)")));
        return nullptr;
    }
    listening.set_value(static_cast<uint16_t>(lws_get_vhost_listen_port(vhost)));
    return context;
}

bool EchoServer::Service::finished() {
    // Once per service round: publish what stats() reports.
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.stats = {sessions.size(), pendingEchoes, pendingBytes};
    return stopping && (sessions.empty() || deadlinePassed);
}

EchoServer::Service::Session* EchoServer::Service::find(lws* wsi) {
    const auto found = sessions.find(wsi);
    return found == sessions.end() ? nullptr : &found->second;
}

int EchoServer::Service::onCallback(lws* wsi, lws_callback_reasons reason, void* in,
                                    std::size_t len) {
    switch (reason) {
        case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
            if (stopping) return refuseUpgrade(wsi, "the server is shutting down");
            if (sessions.size() >= options.maxConnections)
                return refuseUpgrade(wsi, "all " + std::to_string(options.maxConnections) +
                                              " connections are taken; try again later");
            return 0;
        case LWS_CALLBACK_ESTABLISHED:
            onEstablished(wsi);
            return 0;
        case LWS_CALLBACK_RECEIVE: {
            Session* session = find(wsi);
            return session ? onReceive(wsi, *session, in, len) : -1;
        }
        case LWS_CALLBACK_SERVER_WRITEABLE: {
            Session* session = find(wsi);
            return session ? onWriteable(wsi, *session) : -1;
        }
        case LWS_CALLBACK_CLOSED:
            onClosed(wsi);
            return 0;
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            // Never return -1 here: it would free the event pipe lws_cancel_service() writes.
            onWakeRequests();
            return 0;
        default:
            return 0;
    }
}

int EchoServer::Service::refuseUpgrade(lws* wsi, const std::string& reason) {
    // Written by hand: lws_return_http_status() answers an upgrade request with HTTP/1.0,
    // which WebSocket clients such as python-websockets refuse to read, and wraps the reason
    // in HTML.
    const std::string body = reason + "\n";
    std::string answer = "HTTP/1.1 503 Service Unavailable\r\n";
    answer += "Content-Type: text/plain; charset=utf-8\r\n";
    answer += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    answer += "Connection: close\r\n\r\n" + body;
    std::vector<unsigned char> buffer(LWS_PRE + answer.size());
    std::memcpy(buffer.data() + LWS_PRE, answer.data(), answer.size());
    if (lws_write(wsi, buffer.data() + LWS_PRE, answer.size(), LWS_WRITE_HTTP) < 0) return -1;
    // Positive: the answer is given. lws completes the HTTP transaction, which closes the
    // connection (the request did not ask for keep-alive) once the answer is sent.
    return 1;
}

void EchoServer::Service::onEstablished(lws* wsi) {
    Session& session = sessions.try_emplace(wsi, options.maxMessageBytes, wsi).first->second;
    session.rulesAtUpgrade = currentRules();
    if (!session.rulesAtUpgrade) return;
    for (const MockRule& rule : session.rulesAtUpgrade->rules) {
        if (rule.trigger == MockRule::Trigger::kConnect) enqueueRule(session, rule);
        if (rule.trigger != MockRule::Trigger::kTimer) continue;
        session.ruleTimers.push_back(std::make_unique<RuleTimer>(*this, wsi, rule));
        session.ruleTimers.back()->scheduleNext();
    }
}

void EchoServer::Service::onClosed(lws* wsi) {
    // lws may report CLOSED for a connection whose upgrade failed before ESTABLISHED.
    const auto found = sessions.find(wsi);
    if (found == sessions.end()) return;
    pendingEchoes -= found->second.pending.size();
    pendingBytes -= found->second.pendingBytes;
    sessions.erase(found);
    // lws may close it from a timer, at the start of a service round that then sleeps until
    // the next event: wake it, so that the loop sees that it is finished.
    if (stopping && sessions.empty()) worker.wake();
}

int EchoServer::Service::onReceive(lws* wsi, Session& session, const void* in, std::size_t len) {
    if (session.closeDue) return 0;
    switch (session.assembler.append(wsi, in, len)) {
        case MessageAssembler::Result::kIncomplete:
            return 0;
        // Not -1 from RECEIVE in the middle of a frame: lws 4.1.6 then overruns its receive
        // buffer. The close goes out from WRITEABLE.
        case MessageAssembler::Result::kTooBig:
            session.closeDue = {CloseCode::kMessageTooBig, "message too big"};
            lws_callback_on_writable(wsi);
            return 0;
        case MessageAssembler::Result::kInvalidUtf8:
            session.closeDue = {CloseCode::kInvalidPayload, "invalid UTF-8"};
            lws_callback_on_writable(wsi);
            return 0;
        case MessageAssembler::Result::kComplete:
            break;
    }
    auto message = std::make_shared<const Message>(session.assembler.take());
    const auto rules = currentRules();
    if (const MockRule* rule = rules ? findRule(*rules, *message) : nullptr) {
        enqueueRule(session, *rule);
        return 0;
    }
    Outgoing echo;
    echo.message = std::move(message);
    enqueue(session, std::move(echo));
    return 0;
}

std::shared_ptr<const MockRules> EchoServer::Service::currentRules() {
    std::lock_guard<std::mutex> lock(shared.mutex);
    return shared.rules;
}

void EchoServer::Service::enqueue(Session& session, Outgoing outgoing) {
    const std::size_t cost = outgoing.cost();
    session.pending.push_back(std::move(outgoing));
    session.pendingBytes += cost;
    ++pendingEchoes;
    pendingBytes += cost;
    // A client that sends without reading must not grow our memory, whether it sends bytes or
    // empty messages, or makes rules reply: stop reading from it until the queue is written.
    if (session.pendingBytes > options.maxMessageBytes && !session.readingPaused) {
        session.readingPaused = true;
        lws_rx_flow_control(session.wsi, 0);
    }
    lws_callback_on_writable(session.wsi);
}

// The rule's replies, each due its delay after the one before, then its action. They queue
// behind what the connection already has to send: answers leave in the order of what caused
// them. Stopping to read acts at once: nothing the client sends after the message that matched
// is read, however long the replies take.
void EchoServer::Service::enqueueRule(Session& session, const MockRule& rule) {
    if (rule.stopReading) {
        session.stoppedReading = true;
        lws_rx_flow_control(session.wsi, 0);
    }
    auto due = Clock::now();
    for (const MockReply& reply : rule.replies) {
        due += reply.delay;
        Outgoing outgoing;
        outgoing.message = std::make_shared<const Message>(Message{reply.type, reply.data, {}});
        outgoing.due = due;
        enqueue(session, std::move(outgoing));
    }
    Outgoing action;
    action.due = due;
    if (rule.close) {
        action.kind = Outgoing::Kind::kClose;
        action.closeCode = rule.close->code;
        action.text = rule.close->reason;
    } else if (rule.drop) {
        action.kind = Outgoing::Kind::kDrop;
    } else if (rule.ping) {
        action.kind = Outgoing::Kind::kPing;
        action.text = *rule.ping;
    } else {
        return;
    }
    enqueue(session, std::move(action));
}

Outgoing EchoServer::Service::popFront(Session& session) {
    Outgoing outgoing = std::move(session.pending.front());
    session.pending.pop_front();
    const std::size_t cost = outgoing.cost();
    session.pendingBytes -= cost;
    --pendingEchoes;
    pendingBytes -= cost;
    if (session.pending.empty() && session.readingPaused) {
        session.readingPaused = false;
        if (!session.stoppedReading) lws_rx_flow_control(session.wsi, 1);
    }
    return outgoing;
}

// The head of the queue if it is a message that is due.
MessagePtr EchoServer::Service::nextMessage(Session& session) {
    if (session.pending.empty()) return nullptr;
    const Outgoing& head = session.pending.front();
    if (head.kind != Outgoing::Kind::kMessage || head.due > Clock::now()) return nullptr;
    return popFront(session).message;
}

int EchoServer::Service::onWriteable(lws* wsi, Session& session) {
    if (session.closeSent) return 0;
    // A close frame goes out between messages, never inside one.
    const bool closing = session.closeDue || stopping;
    if (closing && !session.writer.busy()) {
        session.closeSent = true;
        if (session.closeDue)
            return closeWith(wsi, session.closeDue->first, session.closeDue->second);
        return closeWith(wsi, CloseCode::kGoingAway, "server shutting down");
    }
    // Actions too go out between messages, once lws holds nothing of the last one.
    if (!closing && !session.writer.busy() && !lws_partial_buffered(wsi))
        if (const auto acted = actOnDue(wsi, session)) return *acted;
    const auto result = session.writer.write(
        wsi, [&]() -> MessagePtr { return closing ? nullptr : nextMessage(session); },
        [](const MessagePtr&) {});
    if (result == MessageWriter::Result::kFailed) return -1;
    if (result == MessageWriter::Result::kMore || closing)
        lws_callback_on_writable(wsi);
    else
        waitForHead(session);
    return 0;
}

// Takes the action at the head of the queue if it is due. A value: what WRITEABLE returns.
std::optional<int> EchoServer::Service::actOnDue(lws* wsi, Session& session) {
    if (session.pending.empty()) return std::nullopt;
    const Outgoing& head = session.pending.front();
    if (head.kind == Outgoing::Kind::kMessage || head.due > Clock::now()) return std::nullopt;
    Outgoing action = popFront(session);
    switch (action.kind) {
        case Outgoing::Kind::kClose:
            session.closeDue = {action.closeCode, std::move(action.text)};
            session.closeSent = true;
            return closeWith(wsi, session.closeDue->first, session.closeDue->second);
        case Outgoing::Kind::kDrop:
            return -1;  // No close reason set: lws ends TCP without a close frame.
        case Outgoing::Kind::kPing: {
            // One control frame a callback: lws writes it as a frame of its own.
            std::vector<unsigned char> frame(LWS_PRE + action.text.size());
            std::memcpy(frame.data() + LWS_PRE, action.text.data(), action.text.size());
            if (lws_write(wsi, frame.data() + LWS_PRE, action.text.size(), LWS_WRITE_PING) <
                static_cast<int>(action.text.size()))
                return -1;
            lws_callback_on_writable(wsi);
            return 0;
        }
        case Outgoing::Kind::kMessage:
            break;
    }
    return std::nullopt;
}

// Nothing due to write: come back when the head of the queue is.
void EchoServer::Service::waitForHead(Session& session) {
    if (session.pending.empty()) return;
    session.replyTimer.schedule(context,
                                microsecondsUntil(session.pending.front().due, Clock::now()));
}

void EchoServer::Service::onWakeRequests() {
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (!shared.stopRequested || stopping) return;
    }
    stopping = true;
    stopTimer.schedule(context, kStopDeadline);
    for (auto& entry : sessions) lws_callback_on_writable(entry.first);
}

void EchoServer::Service::onStopDeadline() {
    deadlinePassed = true;
    worker.wake();  // Timers run at the start of a service round, which then sleeps.
}

EchoServer::EchoServer(EchoServerOptions options) {
    checkOptions(options);
    if (!options.tlsCertFile.empty()) checkTlsFiles(options.tlsCertFile, options.tlsKeyFile);
    ensureDescriptorLimit(options.maxConnections + options.maxPendingConnections +
                          kSpareDescriptors);
    service_ = std::make_unique<Service>(std::move(options));
    Service& service = *service_;
    auto port = service.listening.get_future();
    service.worker.start({[&service] { return service.createContext(); },
                          [&service] { return service.finished(); },
                          [&service] {
                              service.stopTimer.cancel();
                              for (auto& entry : service.sessions) entry.second.cancelTimers();
                          }});
    service.port = port.get();  // Rethrows what createContext() could not do.
}

EchoServer::~EchoServer() {
    stop();
}

uint16_t EchoServer::port() const {
    return service_->port;
}

std::string EchoServer::url() const {
    return std::string(service_->tls ? "wss://" : "ws://") +
           hostForUrl(service_->options.bindAddress) + ":" + std::to_string(service_->port) + "/";
}

EchoServerStats EchoServer::stats() const {
    std::lock_guard<std::mutex> lock(service_->shared.mutex);
    return service_->shared.stats;
}

void EchoServer::setRules(std::shared_ptr<const MockRules> rules) {
    std::lock_guard<std::mutex> lock(service_->shared.mutex);
    service_->shared.rules = std::move(rules);
}

void EchoServer::stop() {
    {
        std::lock_guard<std::mutex> lock(service_->shared.mutex);
        service_->shared.stopRequested = true;
    }
    service_->worker.wake();
    service_->worker.join();
}

}  // namespace wsdemo
