#include "wsdemo/echo_server.h"

#include <arpa/inet.h>
#include <libwebsockets.h>

#include <cstring>
#include <deque>
#include <future>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "lws_timer.h"
#include "ws_framing.h"

namespace wsdemo {

namespace {

constexpr auto kStopDeadline = LWS_US_PER_SEC;  // For the closing handshakes at stop().

}  // namespace

// The libwebsockets side of the server: everything here lives on the server thread.
struct EchoServer::Service {
    // One per WebSocket connection, from ESTABLISHED to CLOSED.
    struct Session {
        explicit Session(std::size_t maxMessageBytes) : assembler(maxMessageBytes) {}
        MessageAssembler assembler;
        std::deque<MessagePtr> pending;  // Echoes not yet started.
        std::size_t pendingBytes = 0;
        MessageWriter writer;
        bool readingPaused = false;  // Until the echoes of what was read are written.
        // Set when the client broke a rule: what it sends after is dropped, and the next
        // WRITEABLE closes with this code and reason.
        std::optional<std::pair<uint16_t, const char*>> closeDue;
    };

    explicit Service(EchoServer& owner) : server(owner) {}

    static int callback(lws* wsi, lws_callback_reasons reason, void*, void* in, std::size_t len) {
        auto* self = static_cast<Service*>(lws_context_user(lws_get_context(wsi)));
        return self->onCallback(wsi, reason, in, len);
    }

    int onCallback(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
    int onReceive(lws* wsi, Session& session, const void* in, std::size_t len);
    int onWriteable(lws* wsi, Session& session);
    void onWakeRequests();
    void onStopDeadline() { deadlinePassed = true; }
    bool done() const { return stopping && (sessions.empty() || deadlinePassed); }

    EchoServer& server;
    std::unordered_map<lws*, Session> sessions;
    bool stopping = false;
    bool deadlinePassed = false;
    LwsTimer<Service, &Service::onStopDeadline> stopTimer{*this};
    lws_context* context = nullptr;
};

bool isLoopbackAddress(const std::string& address) {
    in_addr ipv4{};
    if (inet_pton(AF_INET, address.c_str(), &ipv4) == 1) return (ntohl(ipv4.s_addr) >> 24) == 127;
    in6_addr ipv6{};
    if (inet_pton(AF_INET6, address.c_str(), &ipv6) == 1) return IN6_IS_ADDR_LOOPBACK(&ipv6);
    return address == "localhost";
}

EchoServer::EchoServer(EchoServerOptions options)
    : options_(std::move(options)), service_(std::make_unique<Service>(*this)) {
    std::promise<uint16_t> listening;
    auto portFuture = listening.get_future();
    thread_ = std::thread([this, &listening] {
        static const lws_protocols kProtocols[] = {
            {"wsdemo-echo", &Service::callback, 0, 0, 0, nullptr, 0},
            {nullptr, nullptr, 0, 0, 0, nullptr, 0},
        };
        Service& service = *service_;

        lws_context_creation_info info;
        std::memset(&info, 0, sizeof info);
        // UTF-8 is checked by MessageAssembler, which closes with 1007 as RFC 6455 asks.
        info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
        info.user = &service;
        // Listener, event pipe and the connection cap, with room for refused ones in flight.
        info.fd_limit_per_thread = static_cast<unsigned int>(options_.maxConnections * 2 + 16);
        lws_context* context = lws_create_context(&info);
        if (!context) {
            listening.set_exception(std::make_exception_ptr(
                std::runtime_error("could not create the libwebsockets context")));
            return;
        }
        info.port = options_.port;
        info.iface = options_.bindAddress.c_str();
        info.protocols = kProtocols;
        lws_vhost* vhost = lws_create_vhost(context, &info);
        if (!vhost) {
            lws_context_destroy(context);
            listening.set_exception(std::make_exception_ptr(std::runtime_error(
                "cannot listen on " + options_.bindAddress + ":" + std::to_string(options_.port) +
                " (port in use, or not an address of this machine)")));
            return;
        }
        service.context = context;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            context_ = context;
        }
        listening.set_value(static_cast<uint16_t>(lws_get_vhost_listen_port(vhost)));

        while (!service.done()) lws_service(context, 0);

        {
            std::lock_guard<std::mutex> lock(mutex_);
            context_ = nullptr;
        }
        service.stopTimer.cancel();
        lws_context_destroy(context);
    });
    try {
        port_ = portFuture.get();
    } catch (...) {
        thread_.join();
        throw;
    }
}

EchoServer::~EchoServer() {
    stop();
}

std::string EchoServer::url() const {
    return "ws://" + options_.bindAddress + ":" + std::to_string(port_) + "/";
}

void EchoServer::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopRequested_ = true;
        if (context_) lws_cancel_service(context_);  // The one lws call made off the thread.
    }
    if (thread_.joinable()) thread_.join();
}

int EchoServer::Service::onCallback(lws* wsi, lws_callback_reasons reason, void* in,
                                    std::size_t len) {
    switch (reason) {
        case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
            // Nonzero refuses the upgrade.
            return stopping || sessions.size() >= server.options_.maxConnections;
        case LWS_CALLBACK_ESTABLISHED:
            sessions.emplace(wsi, Session(server.options_.maxMessageBytes));
            return 0;
        case LWS_CALLBACK_RECEIVE:
            return onReceive(wsi, sessions.at(wsi), in, len);
        case LWS_CALLBACK_SERVER_WRITEABLE:
            return onWriteable(wsi, sessions.at(wsi));
        case LWS_CALLBACK_CLOSED:
            sessions.erase(wsi);
            return 0;
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            // Never return -1 here: it would free the event pipe lws_cancel_service() writes.
            onWakeRequests();
            return 0;
        default:
            return 0;
    }
}

int EchoServer::Service::onReceive(lws* wsi, Session& session, const void* in, std::size_t len) {
    if (session.closeDue) return 0;
    switch (session.assembler.append(wsi, in, len)) {
        case MessageAssembler::Result::kIncomplete:
            return 0;
        // Not -1 from RECEIVE in the middle of a frame: lws 4.1.6 then overruns its receive
        // buffer. The close goes out from the next WRITEABLE.
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
    session.pending.push_back(std::make_shared<const Message>(session.assembler.take()));
    session.pendingBytes += session.pending.back()->data.size();
    // A client that sends without reading must not grow our memory: stop reading from it
    // until its echoes are written.
    if (session.pendingBytes > server.options_.maxMessageBytes && !session.readingPaused) {
        session.readingPaused = true;
        lws_rx_flow_control(wsi, 0);
    }
    lws_callback_on_writable(wsi);
    return 0;
}

int EchoServer::Service::onWriteable(lws* wsi, Session& session) {
    if (session.closeDue) return closeWith(wsi, session.closeDue->first, session.closeDue->second);
    if (stopping) return closeWith(wsi, CloseCode::kGoingAway, "server shutting down");
    const auto next = [&]() -> MessagePtr {
        if (session.pending.empty()) return nullptr;
        MessagePtr message = std::move(session.pending.front());
        session.pending.pop_front();
        session.pendingBytes -= message->data.size();
        if (session.pending.empty() && session.readingPaused) {
            session.readingPaused = false;
            lws_rx_flow_control(wsi, 1);
        }
        return message;
    };
    switch (session.writer.write(wsi, next, [](const MessagePtr&) {})) {
        case MessageWriter::Result::kFailed:
            return -1;
        case MessageWriter::Result::kMore:
            lws_callback_on_writable(wsi);
            return 0;
        case MessageWriter::Result::kIdle:
            return 0;
    }
    return 0;
}

void EchoServer::Service::onWakeRequests() {
    {
        std::lock_guard<std::mutex> lock(server.mutex_);
        if (!server.stopRequested_ || stopping) return;
    }
    stopping = true;
    stopTimer.schedule(context, kStopDeadline);
    for (auto& entry : sessions) lws_callback_on_writable(entry.first);
}

}  // namespace wsdemo
