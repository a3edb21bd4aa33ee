#include "headless_replay.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <string>
#include <utility>

#include "headless_io.h"
#include "headless_recording.h"
#include "modes.h"
#include "startup.h"
#include "status_text.h"
#include "wsdemo/recording.h"

namespace wsdemo {

PacedReplay::PacedReplay(ReplayScript script, ReplayPace pace)
    : script_(std::move(script)), pace_(pace) {}

void PacedReplay::start(Clock::time_point now) {
    if (startedAt_) return;
    startedAt_ = now;
    previousStepAt_ = now;
}

std::chrono::microseconds PacedReplay::gapBefore(std::size_t step) const {
    const auto at = dueAt(script_, step, pace_);
    return step == 0 ? at : std::max(at - dueAt(script_, step - 1, pace_), decltype(at){0});
}

std::optional<PacedReplay::Clock::time_point> PacedReplay::nextDueAt() const {
    if (!startedAt_ || next_ == steps()) return std::nullopt;
    const auto gap = gapBefore(next_);
    if (gap.count() == 0) return *startedAt_;       // Now.
    if (written_ < accepted_) return std::nullopt;  // The previous step is still being written.
    return previousStepAt_ + gap;
}

MessagePtr PacedReplay::due(Clock::time_point now) const {
    const auto at = nextDueAt();
    if (!at || now < *at) return nullptr;
    return script_.sends[next_].message;
}

void PacedReplay::stepDone(bool accepted, Clock::time_point now) {
    ++next_;
    if (accepted)
        ++accepted_;
    else
        previousStepAt_ = now;
}

void PacedReplay::written(Clock::time_point now) {
    ++written_;
    lastWrittenAt_ = previousStepAt_ = now;
}

void PacedReplay::received(MessagePtr reply, Clock::time_point now) {
    replies_.push_back(std::move(reply));
    lastReplyAt_ = now;
}

bool PacedReplay::finished(Clock::time_point now) const {
    if (!startedAt_ || !allWritten()) return false;
    if (replies_.size() >= script_.replies.size()) return true;
    const auto next = nextWake(now);
    return next && now >= *next;
}

std::optional<PacedReplay::Clock::time_point> PacedReplay::nextWake(Clock::time_point) const {
    if (!startedAt_) return std::nullopt;
    if (next_ < steps()) return nextDueAt();
    if (!allWritten()) return std::nullopt;  // A MessageSent will come.
    const auto sentAt = lastWrittenAt_.value_or(*startedAt_);
    const auto silentFrom = std::max(sentAt, lastReplyAt_.value_or(sentAt));
    return std::min(silentFrom + kSilence, sentAt + kMaxWait);
}

std::vector<ComparedReply> PacedReplay::compare() const {
    return compareReplies(script_.replies, replies_);
}

namespace {

using Clock = PacedReplay::Clock;
constexpr int kRetryMs = 10;  // While the send queue is full.
constexpr auto kCloseTimeout = std::chrono::seconds(3);

// The script of the file's first connection that sent anything; problems said. None: the exit
// status (kUsage).
std::optional<ReplayScript> loadScript(const std::string& path) {
    auto read = readRecordingFile(path);
    if (const auto* error = std::get_if<std::string>(&read)) {
        say(*error);
        return std::nullopt;
    }
    const RecordingRead& recording = std::get<RecordingRead>(read);
    for (const std::string& problem : recording.problems) say(path + ": " + problem);
    std::optional<ReplayScript> script = replayScript(recording.events);
    if (!script) say(path + ": nothing to replay: no connection in it sent a message");
    return script;
}

bool isOriginHeader(const std::string& name) {
    return name.size() == 6 && std::equal(name.begin(), name.end(), "origin", [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

// The recorded subprotocols and headers, unless the command line gives its own. Headers the
// handshake owns (a browser's HAR holds them all) are left to libwebsockets, and named.
void useRecordedRequest(const RecordedConnection& request, ConnectOptions& options) {
    if (options.subprotocols.empty()) options.subprotocols = request.subprotocols;
    if (!options.headers.empty() || !options.origin.empty()) return;
    std::string skipped;
    for (const Header& header : request.headers) {
        if (isOriginHeader(header.name)) {
            if (checkOrigin(header.value).empty()) options.origin = header.value;
            continue;
        }
        if (std::holds_alternative<Header>(parseHeader(header.name + ": " + header.value)))
            options.headers.push_back(header);
        else
            skipped += (skipped.empty() ? "" : ", ") + header.name;
    }
    if (!skipped.empty())
        say("recorded headers not sent again (the handshake owns them): " + skipped);
}

class ReplaySession {
public:
    ReplaySession(Channel& channel, const WakePipe& wake, int signalFd, PacedReplay& run,
                  HeadlessRecording* recording)
        : channel_(channel), wake_(wake), signalFd_(signalFd), run_(run), recording_(recording) {}

    int run();

private:
    void handleEvents();
    void sendDue();
    int pollTimeoutMs() const;
    void close();
    int report() const;

    Channel& channel_;
    const WakePipe& wake_;
    const int signalFd_;
    PacedReplay& run_;
    HeadlessRecording* const recording_;
    bool opened_ = false;
    bool closeRequested_ = false;
    bool queueFull_ = false;
    std::optional<ChannelStatus> closed_;
};

int ReplaySession::run() {
    while (!closed_) {
        handleEvents();
        if (closed_) break;
        sendDue();
        if (!closeRequested_ && run_.finished(Clock::now())) close();
        pollfd fds[2] = {{wake_.fd(), POLLIN, 0}, {signalFd_, POLLIN, 0}};
        if (poll(fds, 2, pollTimeoutMs()) < 0 && errno != EINTR) {
            std::perror("wsdemo: poll");
            return ExitStatus::kFailure;
        }
        if (fds[0].revents) wake_.drain();
        if (fds[1].revents) {
            signalfd_siginfo info;
            while (read(signalFd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            }
            if (closeRequested_) std::_Exit(ExitStatus::kFailure);
            say("interrupted: closing, and comparing what came so far");
            close();
        }
    }
    return report();
}

void ReplaySession::handleEvents() {
    for (const ChannelEvent& event : channel_.drainEvents()) {
        if (recording_) recording_->add(event, false);
        const auto now = Clock::now();
        std::visit(
            Overloaded{
                [&](const StateChanged& changed) {
                    const ChannelStatus& status = changed.status;
                    if (status.state == ReadyState::kOpen) {
                        opened_ = true;
                        say(describeStatus(status));
                        run_.start(now);
                    } else if (status.state == ReadyState::kClosed) {
                        closed_ = status;
                    }
                },
                [&](const MessageReceived& received) { run_.received(received.message, now); },
                [&](const MessageSent&) { run_.written(now); },
                [](const auto&) {},
            },
            event.what);
    }
}

void ReplaySession::sendDue() {
    queueFull_ = false;
    if (closeRequested_) return;
    while (MessagePtr message = run_.due(Clock::now())) {
        const SendResult result = message->type == Message::Type::kText
                                      ? channel_.send(message->data)
                                      : channel_.sendBinary(message->data);
        if (result == SendResult::kQueueFull) {
            queueFull_ = true;
            return;
        }
        if (result != SendResult::kQueued)
            say("step " + std::to_string(run_.stepsDone() + 1) + " not sent: " + toString(result));
        run_.stepDone(result == SendResult::kQueued, Clock::now());
    }
}

int ReplaySession::pollTimeoutMs() const {
    if (queueFull_) return kRetryMs;
    if (closeRequested_) return -1;  // The channel bounds the close.
    const auto now = Clock::now();
    const auto wake = run_.nextWake(now);
    if (!wake) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*wake - now);
    return static_cast<int>(std::max<long long>(left.count(), 0) + 1);
}

void ReplaySession::close() {
    closeRequested_ = true;
    channel_.disconnect();
}

int ReplaySession::report() const {
    if (!opened_) {
        say(describeStatus(*closed_));
        return ExitStatus::kFailure;
    }
    if (!closeRequested_)
        say("the connection ended before the replay did: " + describeStatus(*closed_));
    say("replayed " + std::to_string(run_.stepsDone()) + " of " + std::to_string(run_.steps()) +
        " messages");
    const auto comparison = run_.compare();
    for (const std::string& line : describeComparison(comparison)) std::puts(line.c_str());
    std::fflush(stdout);
    return allSame(comparison) && run_.stepsDone() == run_.steps() ? ExitStatus::kOk
                                                                   : ExitStatus::kFailure;
}

}  // namespace

int runReplay(const CommandLine& command, int signalFd) {
    std::optional<ReplayScript> script = loadScript(command.replayPath);
    if (!script) return ExitStatus::kUsage;
    std::string url = command.url.value_or(script->request.url);
    if (url.empty()) {
        say(command.replayPath + ": the recording has no URL: give one on the command line");
        return ExitStatus::kUsage;
    }
    if (!command.url) say("replaying to the recorded URL " + url);
    ConnectOptions options = channelOptions(command);
    useRecordedRequest(script->request, options);
    if (const std::string notice = securityNotice(options.tls, url); !notice.empty())
        say("warning: " + notice);

    std::optional<HeadlessRecording> recording;
    if (!command.recordPath.empty()) recording.emplace(command.recordPath);
    PacedReplay run(std::move(*script), command.pace);
    const WakePipe wake;
    ChannelLimits limits;
    limits.closeTimeout = kCloseTimeout;
    Channel channel([&wake] { wake.notify(); }, limits);
    say("connecting to " + url);
    if (recording) recording->willConnect(url, options);
    channel.connect(url, options);
    const int exitStatus =
        ReplaySession(channel, wake, signalFd, run, recording ? &*recording : nullptr).run();
    if (recording) recording->finish();
    return exitStatus;
}

}  // namespace wsdemo
