// What the --headless loops share: the wake-up pipe of the channel, stdout and stderr lines.
#pragma once

#include <chrono>
#include <string>

#include "wsdemo/message.h"

namespace wsdemo {

// After disconnect(), how long the channel waits for the closing handshake.
constexpr std::chrono::seconds kHeadlessCloseTimeout{3};

// Makes poll() return when the channel's worker has news: its wake hook writes a byte here.
class WakePipe {
public:
    WakePipe();
    ~WakePipe();
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;

    int fd() const { return fds_[0]; }
    // Called on the worker thread. A full pipe already holds a wake-up, so EAGAIN is fine.
    void notify() const;
    void drain() const;

private:
    int fds_[2];
};

// One received message on stdout: text as it is, binary as "[binary N bytes] HEX".
void printMessage(const Message& message);
// "wsdemo: LINE" on stderr.
void say(const std::string& line);

template <class... Handlers>
struct Overloaded : Handlers... {
    using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

}  // namespace wsdemo
