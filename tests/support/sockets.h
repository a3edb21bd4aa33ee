// Plain TCP endpoints for the cases a WebSocket server cannot produce.
#pragma once

#include <cstdint>

namespace wsdemo::test {

// A loopback port that nothing listens on (bound, then released).
uint16_t unusedPort();

// A loopback listener that completes TCP handshakes (the kernel does) but never answers.
class SilentListener {
public:
    SilentListener();
    ~SilentListener();
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    uint16_t port() const { return port_; }

private:
    uint16_t port_ = 0;  // Before fd_: the constructor's bind sets it.
    int fd_ = -1;
};

}  // namespace wsdemo::test
