// --headless: a wscat-like pipe. stdin lines go out as text messages (or, with --slash, as
// control frames too), received messages come out on stdout one per line, status and errors go
// to stderr.
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "headless_io.h"
#include "headless_recording.h"
#include "headless_replay.h"
#include "line_splitter.h"
#include "modes.h"
#include "slash_command.h"
#include "startup.h"
#include "status_text.h"
#include "timed_sender.h"
#include "wsdemo/channel.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// After the end of stdin (once connected), how long to wait for the replies to what was sent.
constexpr auto kReplyWait = 5s;
// While the send queue is full, how often to offer the next line again.
constexpr int kRetryMs = 10;

class HeadlessSession {
public:
    HeadlessSession(Channel& channel, const WakePipe& wake, int signalFd,
                    const CommandLine& command, HeadlessRecording* recording)
        : channel_(channel),
          recording_(recording),
          wake_(wake),
          signalFd_(signalFd),
          slash_(command.slash),
          unsafe_(command.unsafe),
          maxLineBytes_(command.maxMessageBytes),
          lines_(command.maxMessageBytes) {
        if (command.timedEvery.count() > 0)
            timed_.emplace(
                TimedSender::Plan{command.timedMessage, command.timedEvery, command.timedTimes});
    }

    int run();

private:
    std::optional<int> handleEvents();
    void onStateChanged(std::uint64_t connection, const ChannelStatus& status);
    void onSignals();
    void sendTimed();
    bool takeTimedFlag();
    void onSent(bool timed);
    bool timedGoingOn() const;
    void readStdin();
    void sendLines();
    void submit(std::string line);
    SendResult offer(const std::string& line);
    void notSent(const std::string& why);
    void endInput(uint16_t code, std::string reason);
    void requestClose();
    void maybeClose();
    int pollTimeoutMs() const;
    Clock::time_point replyWaitStart() const;
    int finish(const ChannelStatus& status) const;

    Channel& channel_;
    HeadlessRecording* const recording_;  // --record, or null.
    const WakePipe& wake_;
    const int signalFd_;
    const bool slash_;
    const bool unsafe_;
    const std::size_t maxLineBytes_;

    // The connection as its events told it.
    std::optional<Clock::time_point> openedAt_;  // Set while open.
    std::optional<ChannelStatus> closed_;        // The last kClosed, until the next attempt.
    bool reconnectDue_ = false;                  // A ReconnectScheduled not yet begun.
    std::pair<std::uint64_t, ConnectStage> lastStage_{0, ConnectStage::kResolving};  // Said.
    bool queueFullSaid_ = false;        // Said once per time away from kOpen.
    std::deque<std::string> ourPings_;  // Payloads of /ping not yet answered.

    // A line can be no longer than a message: memory stays bounded whatever stdin holds.
    LineSplitter lines_;
    std::optional<std::string> blocked_;  // A line the full send queue could not take yet.
    bool stdinOpen_ = true;
    bool stdinAtEnd_ = false;                      // read() returned 0 (or failed).
    std::optional<Clock::time_point> inputEnded_;  // No more lines will be taken.
    uint16_t closeCode_ = CloseCode::kNormal;      // What to close with: /close may change it.
    std::string closeReason_;
    bool closeUnchecked_ = false;  // --unsafe /close: disconnectUnchecked().
    bool closeRequested_ = false;
    std::uint64_t lineNumber_ = 0;
    std::uint64_t sent_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t unsent_ = 0;

    // --every: timed messages, and for each text message queued, in order, whether it is one.
    std::optional<TimedSender> timed_;
    std::deque<bool> queuedTimed_;
    std::optional<Clock::time_point> lastTimedAt_;  // When the last timed message was queued.
    std::uint64_t timedSent_ = 0;                   // Written to the socket.
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
        sendTimed();
        maybeClose();

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
        if (fds[1].revents) onSignals();
        if (fds[2].revents) readStdin();
    }
}

// Prints what arrived; returns the exit status once the connection has ended for good.
std::optional<int> HeadlessSession::handleEvents() {
    for (const ChannelEvent& event : channel_.drainEvents()) {
        const bool timed = std::holds_alternative<MessageSent>(event.what) && takeTimedFlag();
        if (recording_) recording_->add(event, timed);
        std::visit(Overloaded{
                       [&](const StateChanged& changed) {
                           onStateChanged(event.connection, changed.status);
                       },
                       [&](const MessageReceived& received) {
                           printMessage(*received.message);
                           ++received_;
                       },
                       [&](const MessageSent&) { onSent(timed); },
                       [&](const ReconnectScheduled& reconnect) {
                           reconnectDue_ = true;
                           say(describeReconnect(reconnect));
                       },
                       [&](const PongReceived& pong) {
                           const auto ours =
                               std::find(ourPings_.begin(), ourPings_.end(), pong.payload);
                           if (ours != ourPings_.end()) {
                               ourPings_.erase(ourPings_.begin(), ours + 1);
                               say(describePong(pong));
                           } else if (slash_ && !pong.roundTrip) {
                               say(describePong(pong));
                           }
                       },
                       [](const auto&) {},
                   },
                   event.what);
    }
    std::fflush(stdout);
    if (closed_ && !reconnectDue_) return finish(*closed_);
    return std::nullopt;
}

void HeadlessSession::onStateChanged(std::uint64_t connection, const ChannelStatus& status) {
    switch (status.state) {
        case ReadyState::kConnecting:
            closed_.reset();
            reconnectDue_ = false;
            if (const auto stage = std::make_pair(connection, status.stage); stage != lastStage_) {
                say(toString(status.stage));
                lastStage_ = stage;
            }
            return;
        case ReadyState::kOpen:
            openedAt_ = Clock::now();
            if (timed_) timed_->start(*openedAt_);
            queueFullSaid_ = false;
            say(describeStatus(status));
            return;
        case ReadyState::kClosing:
            return;
        case ReadyState::kClosed:
            if (timed_ && timed_->running()) {
                timed_->stop();
                say("timed messages stopped by the disconnect after " +
                    std::to_string(timed_->count()));
            }
            openedAt_.reset();
            ourPings_.clear();
            closed_ = status;
            return;
    }
}

// The first SIGINT or SIGTERM closes the connection properly. Another one while a close is
// pending ends the process at once: not even ~Channel's wait for the handshake (up to
// kHeadlessCloseTimeout) is wanted then, and the kernel drops the connection.
void HeadlessSession::onSignals() {
    signalfd_siginfo info;
    while (read(signalFd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (closeRequested_) {
            say("interrupted again: exiting without waiting for the closing handshake");
            std::fflush(stdout);
            std::_Exit(ExitStatus::kFailure);
        }
        say("interrupted, closing the connection");
        closeUnchecked_ = false;
        endInput(CloseCode::kNormal, {});
        requestClose();
    }
}

// --every: the next timed message, when due. A full send queue leaves it due (tried again at
// the next wake-up, kRetryMs at most).
void HeadlessSession::sendTimed() {
    const auto now = Clock::now();
    if (!timed_ || closeRequested_ || !timed_->due(now)) return;
    const SendResult result = channel_.send(timed_->message());
    if (result == SendResult::kQueueFull) return;
    if (result != SendResult::kQueued) {
        say(std::string("timed message not sent: ") + toString(result));
        timed_->stop();
        return;
    }
    ++sent_;
    queuedTimed_.push_back(true);
    lastTimedAt_ = now;
    timed_->sent(now);
}

// Whether the message just written was a timed one: the stdin lines' and the timed ones go out
// in the order queued.
bool HeadlessSession::takeTimedFlag() {
    if (queuedTimed_.empty()) return false;
    const bool timed = queuedTimed_.front();
    queuedTimed_.pop_front();
    return timed;
}

void HeadlessSession::onSent(bool timed) {
    if (!timed) return;
    ++timedSent_;
    const auto& times = timed_->plan().times;
    say("timed message " + std::to_string(timedSent_) +
        (times ? " of " + std::to_string(*times) : std::string()) + " sent");
}

// At the end of stdin, timed messages go on until --times is reached (or Ctrl+C, or a
// disconnect): without --times, until then.
bool HeadlessSession::timedGoingOn() const {
    return timed_ && !timed_->done() && !timed_->stopped();
}

void HeadlessSession::readStdin() {
    char buffer[64 * 1024];
    const ssize_t count = read(STDIN_FILENO, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (count <= 0) {
        if (count < 0) std::perror("wsdemo: reading stdin");
        stdinOpen_ = false;
        stdinAtEnd_ = true;
    } else {
        lines_.feed(std::string_view(buffer, static_cast<std::size_t>(count)));
    }
    sendLines();
}

// Sends the lines stdin has completed, in order, until the send queue is full.
void HeadlessSession::sendLines() {
    while (!blocked_ && !inputEnded_) {
        std::optional<LineSplitter::Line> line = lines_.next();
        if (!line && stdinAtEnd_) line = lines_.finish();
        if (!line) {
            if (stdinAtEnd_) inputEnded_ = Clock::now();
            return;
        }
        ++lineNumber_;
        if (line->tooLong) {
            notSent("longer than " + std::to_string(maxLineBytes_) + " bytes");
            continue;
        }
        submit(std::move(line->text));
    }
}

void HeadlessSession::submit(std::string line) {
    switch (const SendResult result = offer(line)) {
        case SendResult::kQueued:
            return;
        case SendResult::kQueueFull:
            // Offered again, under the same number, when the queue drains. While the
            // connection is away the queue cannot drain: say so, once.
            if (!openedAt_ && !std::exchange(queueFullSaid_, true))
                say("the send queue is full until the connection is back: holding stdin");
            blocked_ = std::move(line);
            return;
        case SendResult::kClosed:
        case SendResult::kTooLarge:
        case SendResult::kInvalidUtf8:
            notSent(toString(result));
            return;
    }
}

// Hands one stdin line to the channel: a text message, or with --slash maybe a command.
SendResult HeadlessSession::offer(const std::string& line) {
    const auto sendText = [this](std::string text) {
        const SendResult result = channel_.send(std::move(text));
        if (result == SendResult::kQueued) {
            ++sent_;
            queuedTimed_.push_back(false);
        }
        return result;
    };
    if (!slash_) return sendText(line);
    SlashCommand parsed = parseSlashCommand(line, unsafe_);
    return std::visit(Overloaded{
                          [&](SendText& command) { return sendText(std::move(command.text)); },
                          [&](Ping& command) {
                              const SendResult result = channel_.ping(command.payload);
                              if (result == SendResult::kQueued)
                                  ourPings_.push_back(std::move(command.payload));
                              return result;
                          },
                          [&](Pong& command) { return channel_.pong(std::move(command.payload)); },
                          [&](Close& command) {
                              closeUnchecked_ = command.unchecked;
                              endInput(command.code, std::move(command.reason));
                              return SendResult::kQueued;
                          },
                          [&](std::string& error) {
                              notSent(error);
                              return SendResult::kQueued;  // Said and counted: nothing to retry.
                          },
                      },
                      parsed);
}

void HeadlessSession::notSent(const std::string& why) {
    ++unsent_;
    say("line " + std::to_string(lineNumber_) + " not sent: " + why);
}

// Takes no more lines; the connection closes with `code` once the replies are in (maybeClose).
void HeadlessSession::endInput(uint16_t code, std::string reason) {
    if (inputEnded_) return;
    inputEnded_ = Clock::now();
    stdinOpen_ = false;
    closeCode_ = code;
    closeReason_ = std::move(reason);
    if (blocked_) {  // Never accepted by the channel.
        blocked_.reset();
        notSent("the input ended before the send queue drained");
    }
}

void HeadlessSession::requestClose() {
    closeRequested_ = true;
    if (timed_ && timed_->running()) timed_->stop();
    try {
        if (closeUnchecked_)
            channel_.disconnectUnchecked(closeCode_, closeReason_);
        else
            channel_.disconnect(closeCode_, closeReason_);
    } catch (const std::invalid_argument& error) {
        say(std::string("cannot close that way: ") + error.what() + "; closing with 1000");
        closeCode_ = CloseCode::kNormal;
        channel_.disconnect();
    }
}

// Once the input has ended and the connection is open: close when every reply has come, or
// when waiting for them times out. While (re)connecting, the channel's own limits decide.
void HeadlessSession::maybeClose() {
    if (!inputEnded_ || blocked_ || closeRequested_ || !openedAt_ || timedGoingOn()) return;
    const auto waitingSince = replyWaitStart();
    if (received_ < sent_ && Clock::now() < waitingSince + kReplyWait) return;
    requestClose();
}

// The replies are waited for from the end of the input, the open, or the last timed message.
Clock::time_point HeadlessSession::replyWaitStart() const {
    auto start = std::max(*inputEnded_, *openedAt_);
    if (lastTimedAt_) start = std::max(start, *lastTimedAt_);
    return start;
}

int HeadlessSession::pollTimeoutMs() const {
    const auto until = [](Clock::time_point deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        return static_cast<int>(std::max<long long>(left.count(), 0) + 1);
    };
    if (blocked_) return kRetryMs;
    if (closeRequested_) return -1;  // The channel bounds the close (kHeadlessCloseTimeout).
    int timeout = -1;
    if (timed_ && timed_->nextDue())  // Still due here: the send queue was full.
        timeout = timed_->due(Clock::now()) ? kRetryMs : until(*timed_->nextDue());
    if (inputEnded_ && openedAt_ && !timedGoingOn()) {
        const int replies = until(replyWaitStart() + kReplyWait);
        timeout = timeout < 0 ? replies : std::min(timeout, replies);
    }
    return timeout;
}

int HeadlessSession::finish(const ChannelStatus& status) const {
    // A closing handshake that completed with the code asked for: 1000, or what /close said.
    // With --unsafe, whatever the peer answers a close it may have to refuse (1002 for 1005,
    // 1005 for an empty close frame): the handshake we started completed.
    const bool normal = status.failure == FailureStage::kNone && status.error.empty() &&
                        (status.closeCode == CloseCode::kNormal ||
                         (closeRequested_ && status.closedBy == CloseInitiator::kClient &&
                          (status.closeCode == closeCode_ || closeUnchecked_)));
    if (!closeRequested_ || !normal) say(describeStatus(status));
    if (const auto unsent = unsent_ + status.unsentMessages) {
        say(std::to_string(unsent) + " line(s) were not sent");
        return ExitStatus::kFailure;
    }
    return normal ? ExitStatus::kOk : ExitStatus::kFailure;
}

}  // namespace

int runHeadless(const CommandLine& command) {
    // SIGINT and SIGTERM close the connection properly: they reach only the signalfd.
    const sigset_t stopSignals = blockStopSignals();
    const int signalFd = signalfd(-1, &stopSignals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signalFd < 0) {
        std::fprintf(stderr, "wsdemo: cannot watch for Ctrl+C: signalfd: %s\n",
                     std::strerror(errno));
        return ExitStatus::kFailure;
    }

    int exitStatus = ExitStatus::kFailure;
    if (!command.replayPath.empty()) {
        exitStatus = runReplay(command, signalFd);
    } else if (std::optional<Target> target = startTarget(command)) {
        const ConnectOptions options = channelOptions(command);
        if (const std::string notice = securityNotice(options.tls, target->url); !notice.empty())
            say("warning: " + notice);
        const WakePipe wake;
        ChannelLimits limits;
        limits.closeTimeout = kHeadlessCloseTimeout;
        Channel channel([&wake] { wake.notify(); }, limits);
        std::optional<HeadlessRecording> recording;
        if (!command.recordPath.empty()) {
            recording.emplace(command.recordPath);
            recording->willConnect(target->url, options);
        }
        say("connecting to " + target->url);
        channel.connect(target->url, options);
        exitStatus =
            HeadlessSession(channel, wake, signalFd, command, recording ? &*recording : nullptr)
                .run();
        if (recording) recording->finish();
    }
    close(signalFd);
    return exitStatus;
}

}  // namespace wsdemo
