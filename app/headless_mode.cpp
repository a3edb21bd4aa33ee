// --headless: a wscat-like pipe. stdin lines go out as text messages, received messages come
// out on stdout one per line, status and errors go to stderr.
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "line_splitter.h"
#include "modes.h"
#include "startup.h"
#include "status_text.h"
#include "wsdemo/channel.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// After the end of stdin, how long to wait for the replies to what was sent.
constexpr auto kReplyWait = 5s;
// After close(), how long to wait for the closing handshake.
constexpr auto kCloseWait = 3s;
// While the send queue is full, how often to offer the next line again.
constexpr int kRetryMs = 10;

// Makes poll() return when the channel's worker has news: its wake hook writes a byte here.
class WakePipe {
public:
    WakePipe() {
        if (pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
    }
    ~WakePipe() {
        close(fds_[0]);
        close(fds_[1]);
    }
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;

    int fd() const { return fds_[0]; }
    // Called on the worker thread. A full pipe already holds a wake-up, so EAGAIN is fine.
    void notify() const {
        const char byte = 0;
        [[maybe_unused]] const ssize_t written = write(fds_[1], &byte, 1);
    }
    void drain() const {
        char buffer[256];
        while (read(fds_[0], buffer, sizeof buffer) > 0) {
        }
    }

private:
    int fds_[2];
};

void printMessage(const Message& message) {
    if (message.type == Message::Type::kText) {
        std::fwrite(message.data.data(), 1, message.data.size(), stdout);
    } else {
        std::printf("[binary %zu bytes] %s", message.data.size(), toHex(message.data).c_str());
    }
    std::putchar('\n');
}

class HeadlessSession {
public:
    HeadlessSession(Channel& channel, std::string url, std::size_t maxMessageBytes,
                    const WakePipe& wake, int signalFd)
        : channel_(channel),
          wake_(wake),
          signalFd_(signalFd),
          url_(std::move(url)),
          maxMessageBytes_(maxMessageBytes) {}

    int run();

private:
    std::optional<int> handleEvents();
    void readStdin();
    void sendLines();
    void submit(std::string line);
    void maybeClose();
    int pollTimeoutMs() const;
    int finish(const ChannelStatus& status) const;

    Channel& channel_;
    const WakePipe& wake_;
    const int signalFd_;
    const std::string url_;
    const std::size_t maxMessageBytes_;

    // A line can be no longer than a message: memory stays bounded whatever stdin holds.
    LineSplitter lines_{maxMessageBytes_};
    std::optional<std::string> blocked_;  // A line the full send queue could not take yet.
    bool stdinOpen_ = true;
    std::optional<Clock::time_point> stdinEnded_;
    std::optional<Clock::time_point> closeRequested_;
    std::uint64_t lineNumber_ = 0;
    std::uint64_t sent_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t unsent_ = 0;
};

int HeadlessSession::run() {
    for (;;) {
        if (auto exitStatus = handleEvents()) return *exitStatus;
        if (blocked_) {
            std::string line = std::move(*blocked_);
            blocked_.reset();
            submit(std::move(line));
            sendLines();
        }
        maybeClose();
        if (closeRequested_ && Clock::now() >= *closeRequested_ + kCloseWait) {
            std::fprintf(stderr, "wsdemo: the server did not complete the closing handshake\n");
            return ExitStatus::kFailure;
        }

        pollfd fds[3] = {
            {wake_.fd(), POLLIN, 0},
            {signalFd_, POLLIN, 0},
            {stdinOpen_ && !blocked_ ? STDIN_FILENO : -1, POLLIN, 0},
        };
        if (poll(fds, 3, pollTimeoutMs()) < 0 && errno != EINTR) {
            std::perror("wsdemo: poll");
            return ExitStatus::kFailure;
        }
        if (fds[0].revents) wake_.drain();
        if (fds[1].revents && !closeRequested_) {
            signalfd_siginfo info;
            [[maybe_unused]] const ssize_t size = read(signalFd_, &info, sizeof info);
            std::fprintf(stderr, "wsdemo: interrupted, closing the connection\n");
            channel_.disconnect();
            closeRequested_ = Clock::now();
            stdinOpen_ = false;
        }
        if (fds[2].revents) readStdin();
    }
}

// Prints what arrived; returns the exit status once the connection has ended.
std::optional<int> HeadlessSession::handleEvents() {
    for (const ChannelEvent& event : channel_.drainEvents()) {
        if (const auto* received = std::get_if<MessageReceived>(&event.what)) {
            printMessage(*received->message);
            ++received_;
        } else if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
            if (changed->status.state == ReadyState::kOpen)
                std::fprintf(stderr, "wsdemo: connected to %s\n", url_.c_str());
            if (changed->status.state == ReadyState::kClosed) {
                std::fflush(stdout);
                return finish(changed->status);
            }
        }
    }
    std::fflush(stdout);
    return std::nullopt;
}

void HeadlessSession::readStdin() {
    char buffer[64 * 1024];
    const ssize_t count = read(STDIN_FILENO, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (count <= 0) {
        if (count < 0) std::perror("wsdemo: reading stdin");
        stdinOpen_ = false;
        stdinEnded_ = Clock::now();
    } else {
        lines_.feed(std::string_view(buffer, static_cast<std::size_t>(count)));
    }
    sendLines();
}

// Sends the lines stdin has completed, in order, until the send queue is full.
void HeadlessSession::sendLines() {
    while (!blocked_) {
        std::optional<LineSplitter::Line> line = lines_.next();
        if (!line && stdinEnded_) line = lines_.finish();
        if (!line) return;
        ++lineNumber_;
        if (line->tooLong) {
            ++unsent_;
            std::fprintf(stderr, "wsdemo: line %llu not sent: longer than %zu bytes\n",
                         static_cast<unsigned long long>(lineNumber_), maxMessageBytes_);
            continue;
        }
        submit(std::move(line->text));
    }
}

void HeadlessSession::submit(std::string line) {
    switch (const SendResult result = channel_.send(line)) {
        case SendResult::kQueued:
            ++sent_;
            return;
        case SendResult::kQueueFull:
            blocked_ = std::move(line);  // Offered again, under the same number, when it drains.
            return;
        case SendResult::kClosed:
        case SendResult::kTooLarge:
        case SendResult::kInvalidUtf8:
            ++unsent_;
            std::fprintf(stderr, "wsdemo: line %llu not sent: %s\n",
                         static_cast<unsigned long long>(lineNumber_), toString(result));
            return;
    }
}

// At the end of stdin: close once every reply has come, or when waiting for them times out.
void HeadlessSession::maybeClose() {
    if (!stdinEnded_ || blocked_ || closeRequested_) return;
    if (received_ < sent_ && Clock::now() < *stdinEnded_ + kReplyWait) return;
    channel_.disconnect();
    closeRequested_ = Clock::now();
}

int HeadlessSession::pollTimeoutMs() const {
    const auto until = [](Clock::time_point deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        return static_cast<int>(std::max<long long>(left.count(), 0) + 1);
    };
    if (blocked_) return kRetryMs;
    if (closeRequested_) return until(*closeRequested_ + kCloseWait);
    if (stdinEnded_) return until(*stdinEnded_ + kReplyWait);
    return -1;
}

int HeadlessSession::finish(const ChannelStatus& status) const {
    const bool normal = status.closeCode == CloseCode::kNormal;
    if (!closeRequested_ || !normal)
        std::fprintf(stderr, "wsdemo: %s\n", describeStatus(status, url_).c_str());
    if (unsent_) {
        std::fprintf(stderr, "wsdemo: %llu line(s) were not sent\n",
                     static_cast<unsigned long long>(unsent_));
        return ExitStatus::kFailure;
    }
    return normal ? ExitStatus::kOk : ExitStatus::kFailure;
}

}  // namespace

int runHeadless(const CommandLine& command) {
    // SIGINT and SIGTERM close the connection properly: they reach only the signalfd.
    const sigset_t stopSignals = blockStopSignals();
    const int signalFd = signalfd(-1, &stopSignals, SFD_CLOEXEC | SFD_NONBLOCK);

    std::optional<Target> target = startTarget(command);
    if (!target) return ExitStatus::kFailure;
    const WsUrl& url = target->url;

    const WakePipe wake;
    if (const std::string notice = securityNotice(command, url); !notice.empty())
        std::fprintf(stderr, "wsdemo: warning: %s\n", notice.c_str());
    Channel channel([&wake] { wake.notify(); });
    channel.connect(url.toString(), channelOptions(command));
    std::fprintf(stderr, "wsdemo: connecting to %s\n", url.toString().c_str());
    const int exitStatus =
        HeadlessSession(channel, url.toString(), command.maxMessageBytes, wake, signalFd).run();
    close(signalFd);
    return exitStatus;
}

}  // namespace wsdemo
