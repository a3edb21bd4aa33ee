#include "headless_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "wsdemo/text.h"

namespace wsdemo {

WakePipe::WakePipe() {
    if (pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
}

WakePipe::~WakePipe() {
    close(fds_[0]);
    close(fds_[1]);
}

void WakePipe::notify() const {
    const char byte = 0;
    [[maybe_unused]] const ssize_t written = write(fds_[1], &byte, 1);
}

void WakePipe::drain() const {
    char buffer[256];
    while (read(fds_[0], buffer, sizeof buffer) > 0) {
    }
}

void printMessage(const Message& message) {
    if (message.type == Message::Type::kText) {
        std::fwrite(message.data.data(), 1, message.data.size(), stdout);
    } else {
        std::printf("[binary %zu bytes] %s", message.data.size(), toHex(message.data).c_str());
    }
    std::putchar('\n');
}

void say(const std::string& line) {
    std::fprintf(stderr, "wsdemo: %s\n", line.c_str());
}

}  // namespace wsdemo
