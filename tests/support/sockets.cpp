#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace wsdemo::test {

namespace {

// Binds a TCP socket to 127.0.0.1 on a kernel-chosen port; returns the socket.
int bindLoopback(uint16_t& port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(fd);
        throw std::runtime_error("bind() to 127.0.0.1 failed");
    }
    port = ntohs(address.sin_port);
    return fd;
}

}  // namespace

uint16_t unusedPort() {
    uint16_t port;
    close(bindLoopback(port));
    return port;
}

SilentListener::SilentListener() : fd_(bindLoopback(port_)) {
    if (listen(fd_, 8) != 0) {
        close(fd_);
        throw std::runtime_error("listen() failed");
    }
}

SilentListener::~SilentListener() {
    close(fd_);
}

}  // namespace wsdemo::test
