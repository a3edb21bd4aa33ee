// EchoServer: a WebSocket server that sends every message back, whole and unchanged, to the
// client that sent it, over ws:// or wss://. libwebsockets services it on a thread of its own.
// Constructing one starts it listening; stop() (or the destructor) ends it. Several may run in
// one process, one after another or at once (but only one with TLS at a time, see
// core/src/lws_worker.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "wsdemo/mock_rules.h"

namespace wsdemo {

struct EchoServerOptions {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0;  // 0: the kernel picks a free port; port() tells which.
    // Both or neither: serve wss:// with this certificate (chain) and private key, PEM files.
    std::string tlsCertFile;
    std::string tlsKeyFile;
    // A larger message closes its connection with 1009.
    std::size_t maxMessageBytes = 16u << 20;
    // WebSocket connections at once. While all are taken, a further upgrade request is
    // answered with HTTP 503 and a reason.
    std::size_t maxConnections = 64;
    // TCP (or TLS) connections accepted that have not completed their upgrade yet. While that
    // many are open, further ones wait in the kernel's listen queue until one ends.
    std::size_t maxPendingConnections = 2048;
    // A connection that has not completed its upgrade this long after it was accepted is
    // dropped; with TLS, this long after its TLS handshake, which itself gets as long. Whole
    // seconds (libwebsockets' timeouts), rounded up.
    std::chrono::milliseconds handshakeTimeout{5000};
    // Half of this after its upgrade or its last pong, a WebSocket connection is pinged; if
    // no pong comes by the end of it, it is dropped (without a close frame: the peer is not
    // answering). A client that answers pings stays. Zero: never. Whole seconds, rounded up.
    std::chrono::milliseconds idleTimeout{300000};
    // Null: echo every message. Else answer as these say (mock_rules.h); unmatched messages
    // are echoed.
    std::shared_ptr<const MockRules> rules;
};

// Each echo waiting to be written counts this many bytes on top of its data (about what a
// queued message costs in memory), so that empty messages are bounded too. Reading from a
// connection pauses while its waiting echoes count more than maxMessageBytes, and resumes once
// they are written: a client that sends without reading is slowed by TCP, whatever it sends.
constexpr std::size_t kPendingEchoOverhead = 128;

// A snapshot taken by the server's thread once per service round.
struct EchoServerStats {
    std::size_t connections = 0;    // WebSocket connections open.
    std::size_t pendingEchoes = 0;  // Messages received whose echo has not started.
    std::size_t pendingBytes = 0;   // Their data, plus kPendingEchoOverhead each.
};

// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool isLoopbackAddress(const std::string& address);

class EchoServer {
public:
    // Listening when the constructor returns. Throws std::runtime_error, with a one-line
    // message, if it cannot listen, if only one of the TLS files is given or one cannot be
    // read or used, or if the process may not open the descriptors the limits need (the soft
    // RLIMIT_NOFILE is raised, up to the hard one, when it is too low).
    explicit EchoServer(EchoServerOptions options = {});
    // stop().
    ~EchoServer();

    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    uint16_t port() const;
    // ws://ADDRESS:PORT/, or wss:// with TLS.
    std::string url() const;
    // Any thread; as of the server thread's last service round.
    EchoServerStats stats() const;
    // Any thread: the rules for messages, connections and timers from now on (null: echo).
    // Replies already scheduled still go out.
    void setRules(std::shared_ptr<const MockRules> rules);

    // Closes every WebSocket connection with 1001 (going away) once the message being written
    // to it is whole, waits up to a second for the closing handshakes, and ends the thread.
    // Idempotent.
    void stop();

private:
    struct Service;
    std::unique_ptr<Service> service_;
};

}  // namespace wsdemo
