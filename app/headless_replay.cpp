#include "headless_replay.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headless_io.h"
#include "headless_recording.h"
#include "modes.h"
#include "replay_run.h"
#include "startup.h"
#include "status_text.h"
#include "wsdemo/recording.h"

namespace wsdemo {

namespace {

using Clock = SteadyClock;

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

class ReplaySession {
public:
    ReplaySession(Channel& channel, const WakePipe& wake, int signalFd, ReplayRun& run,
                  HeadlessRecording* recording)
        : channel_(channel), wake_(wake), signalFd_(signalFd), run_(run), recording_(recording) {}

    int run();

private:
    void handleEvents();
    void sendDue();
    int pollTimeoutMs() const;
    void close();
    int report();

    Channel& channel_;
    const WakePipe& wake_;
    const int signalFd_;
    ReplayRun& run_;
    HeadlessRecording* const recording_;
    bool opened_ = false;
    bool closeRequested_ = false;
    std::optional<ChannelStatus> closed_;
};

int ReplaySession::run() {
    while (!closed_) {
        handleEvents();
        if (closed_) break;
        sendDue();
        if (!closeRequested_ && run_.over(Clock::now())) close();
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
                [&](const MessageReceived& received) { run_.onReceived(received.message, now); },
                [&](const MessageSent&) { run_.written(now); },
                [](const auto&) {},
            },
            event.what);
    }
}

void ReplaySession::sendDue() {
    if (closeRequested_) return;
    while (MessagePtr message = run_.due(Clock::now())) {
        const SendResult result = sendStep(channel_, *message);
        if (result != SendResult::kQueued && result != SendResult::kQueueFull)
            say("step " + std::to_string(run_.sent() + run_.refused() + 1) +
                " not sent: " + toString(result));
        run_.onSendResult(result, Clock::now());
        if (result == SendResult::kQueueFull) return;  // Due again a little later.
    }
}

int ReplaySession::pollTimeoutMs() const {
    if (closeRequested_) return -1;  // The channel bounds the close.
    const auto now = Clock::now();
    const auto wake = run_.nextWake();
    if (!wake) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*wake - now);
    return static_cast<int>(std::max<long long>(left.count(), 0) + 1);
}

void ReplaySession::close() {
    closeRequested_ = true;
    channel_.disconnect();
}

int ReplaySession::report() {
    if (!opened_) {
        say(describeStatus(*closed_));
        return ExitStatus::kFailure;
    }
    if (!closeRequested_)
        say("the connection ended before the replay did: " + describeStatus(*closed_));
    say("replayed " + std::to_string(run_.sent()) + " of " + std::to_string(run_.total()) +
        " messages");
    if (run_.repliesNotKept() > 0)
        say(std::to_string(run_.repliesNotKept()) +
            " replies not compared: past the limits of what is kept");
    const auto& comparison = run_.comparison();
    for (const std::string& line : describeComparison(comparison)) std::puts(line.c_str());
    std::fflush(stdout);
    return allSame(comparison) && run_.repliesNotKept() == 0 && run_.sent() == run_.total()
               ? ExitStatus::kOk
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
    std::vector<std::string> skipped;
    ConnectOptions options = replayOptions(script->request, channelOptions(command), skipped);
    if (!skipped.empty()) say(describeSkipped(skipped));
    if (const std::string notice = securityNotice(options.tls, url); !notice.empty())
        say("warning: " + notice);

    std::optional<HeadlessRecording> recording;
    if (!command.recordPath.empty()) recording.emplace(command.recordPath);
    ReplayRun run(std::move(*script), command.pace, false);
    const WakePipe wake;
    ChannelLimits limits;
    limits.closeTimeout = kHeadlessCloseTimeout;
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
