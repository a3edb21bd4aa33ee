// EchoServer: a WebSocket server that sends every message back, whole and unchanged, to the
// client that sent it. libwebsockets services it on a thread of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct lws_context;

namespace wsdemo {

struct EchoServerOptions {
    std::string bindAddress = "127.0.0.1";
    uint16_t port = 0;  // 0: the kernel picks a free port; port() tells which.
    // A larger message closes its connection with 1009.
    std::size_t maxMessageBytes = 16u << 20;
    // Further connections are refused with HTTP 503 until one ends.
    std::size_t maxConnections = 64;
};

// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool isLoopbackAddress(const std::string& address);

class EchoServer {
public:
    // Listening when the constructor returns; throws std::runtime_error if it cannot bind.
    explicit EchoServer(EchoServerOptions options = {});
    // stop().
    ~EchoServer();

    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    uint16_t port() const { return port_; }
    // ws://ADDRESS:PORT/
    std::string url() const;

    // Closes every connection with 1001 (going away), waits up to a second for the closing
    // handshakes, and ends the thread. Idempotent.
    void stop();

private:
    struct Service;

    const EchoServerOptions options_;
    uint16_t port_ = 0;  // Written before the constructor returns, constant after.

    // Guarded by mutex_.
    std::mutex mutex_;
    lws_context* context_ = nullptr;  // Non-null while lws_cancel_service() may be called on it.
    bool stopRequested_ = false;

    std::unique_ptr<Service> service_;  // Server thread only (libwebsockets state).
    std::thread thread_;
};

}  // namespace wsdemo
