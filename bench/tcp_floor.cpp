// The floor for a round trip on this machine: plain TCP on 127.0.0.1, TCP_NODELAY, blocking
// sockets, no framing. No WebSocket client can beat it against any server, for both sides do at
// least this much.
//   wsdemo_bench_tcp server                       prints its port, then echoes every connection
//   wsdemo_bench_tcp client PORT SIZE COUNT WARMUP  one SIZE-byte message in flight: COUNT round
//                                                   trips, one per line, in µs
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "wsdemo_bench_tcp: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

void noDelay(int socket) {
    const int on = 1;
    if (setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) fail("TCP_NODELAY");
}

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool writeAll(int socket, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::send(socket, data, size, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

void echo(int socket) {
    std::vector<char> buffer(64 * 1024);
    for (;;) {
        const ssize_t got = ::recv(socket, buffer.data(), buffer.size(), 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || !writeAll(socket, buffer.data(), static_cast<std::size_t>(got))) break;
    }
    ::close(socket);
}

int serve() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) fail("socket");
    sockaddr_in address = loopback(0);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("bind");
    if (::listen(listener, 16) != 0) fail("listen");
    socklen_t length = sizeof address;
    if (::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        fail("getsockname");
    std::printf("%u\n", ntohs(address.sin_port));
    std::fflush(stdout);
    for (;;) {
        const int client = ::accept(listener, nullptr, nullptr);
        if (client < 0) {
            if (errno == EINTR) continue;
            fail("accept");
        }
        noDelay(client);
        std::thread(echo, client).detach();
    }
}

int pingPong(uint16_t port, std::size_t size, long count, long warmup) {
    const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    if (socket < 0) fail("socket");
    sockaddr_in address = loopback(port);
    if (::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        fail("connect");
    noDelay(socket);
    const std::string message(size, 'x');
    std::vector<char> buffer(size);
    for (long i = 0; i < warmup + count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (!writeAll(socket, message.data(), size)) fail("send");
        for (std::size_t got = 0; got < size;) {
            const ssize_t n = ::recv(socket, buffer.data() + got, size - got, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail("recv");
            got += static_cast<std::size_t>(n);
        }
        const std::chrono::duration<double, std::micro> took =
            std::chrono::steady_clock::now() - start;
        if (i >= warmup) std::printf("%.3f\n", took.count());
    }
    ::close(socket);
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc == 2 && std::string(argv[1]) == "server") return serve();
    if (argc == 6 && std::string(argv[1]) == "client")
        return pingPong(static_cast<uint16_t>(std::strtoul(argv[2], nullptr, 10)),
                        std::strtoul(argv[3], nullptr, 10), std::strtol(argv[4], nullptr, 10),
                        std::strtol(argv[5], nullptr, 10));
    std::fprintf(stderr, "usage: %s server | client PORT SIZE COUNT WARMUP\n", argv[0]);
    return 2;
}
