// The Channel as a benchmark peer, with the same command line and output as the node and python
// clients in peers/:
//   wsdemo_bench_channel URL rtt SIZE COUNT WARMUP   one message in flight: COUNT round trips, µs
//   wsdemo_bench_channel URL throughput SIZE COUNT   COUNT messages sent at once: seconds until
//                                                    the last echo
//   wsdemo_bench_channel URL big SIZE COUNT          one SIZE message at a time: seconds each
//   wsdemo_bench_channel URL connect 0 COUNT WARMUP  COUNT connections one after another on one
//                                                    Channel: µs from connect() to open each
// Binary messages of SIZE bytes, no compression; with wss://, the CA in $WSDEMO_BENCH_CA. Each
// figure is taken on the thread that uses the Channel, after drainEvents() handed it the echo: what
// an application sees, not the worker's timestamp.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <variant>

#include "wsdemo/channel.h"
#include "wsdemo/logging.h"
#include "wsdemo/url.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wsdemo;

// Generous: a stuck run fails instead of hanging the benchmark.
constexpr auto kDeadline = std::chrono::seconds(60);

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "wsdemo_bench_channel: %s\n", why.c_str());
    std::exit(1);
}

// The consumer's side: the Channel's wake hook notifies a condition variable, and events are
// taken with drainEvents(), as the window and --headless do.
class Client {
public:
    explicit Client(std::string url) : url_(std::move(url)) {
        options_.compression = false;
        if (const char* ca = std::getenv("WSDEMO_BENCH_CA")) options_.tls.caFile = ca;
        channel_ = std::make_unique<Channel>([this] {
            std::lock_guard<std::mutex> lock(mutex_);
            woken_ = true;
            wake_.notify_one();
        });
    }

    // Connects, and waits until the connection is open.
    void open() {
        channel_->connect(url_, options_);
        while (!isState(next(), ReadyState::kOpen)) {
        }
    }

    // Closes (1000), and waits until the connection is closed.
    void close() {
        channel_->disconnect(CloseCode::kNormal);
        for (;;) {
            while (events_.empty()) awaitEvents();
            const bool closed = isState(events_.front(), ReadyState::kClosed);
            events_.pop_front();
            if (closed) return;
        }
    }

    // Waits for the wake hook, then takes what the channel has.
    void awaitEvents() {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (!wake_.wait_for(lock, kDeadline, [this] { return woken_; }))
                fail("no event within the deadline");
            woken_ = false;
        }
        for (auto& event : channel_->drainEvents()) events_.push_back(std::move(event));
    }

    // The next event; fails the run on a deadline or a closed connection.
    ChannelEvent next() {
        while (events_.empty()) awaitEvents();
        ChannelEvent event = std::move(events_.front());
        events_.pop_front();
        if (const auto* changed = std::get_if<StateChanged>(&event.what))
            if (changed->status.state == ReadyState::kClosed)
                fail("the connection closed: " + changed->status.error);
        return event;
    }

    // The next message received; MessageSent and the like are skipped.
    MessagePtr nextMessage() {
        for (;;) {
            ChannelEvent event = next();
            if (auto* received = std::get_if<MessageReceived>(&event.what))
                return std::move(received->message);
        }
    }

    void send(const std::string& payload) {
        for (;;) {
            const SendResult result = channel_->sendBinary(payload);
            if (result == SendResult::kQueued) return;
            if (result != SendResult::kQueueFull)
                fail(std::string("send failed: ") + toString(result));
            // Full: take echoes in, which lets the worker write on; the run counts them later.
            awaitEvents();
        }
    }

private:
    static bool isState(const ChannelEvent& event, ReadyState state) {
        const auto* changed = std::get_if<StateChanged>(&event.what);
        return changed && changed->status.state == state;
    }

    const std::string url_;
    ConnectOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    std::deque<ChannelEvent> events_;
    std::unique_ptr<Channel> channel_;
};

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 5) {
        std::fprintf(stderr,
                     "usage: %s URL rtt SIZE COUNT WARMUP | URL throughput SIZE COUNT | "
                     "URL big SIZE COUNT | URL connect 0 COUNT WARMUP\n",
                     argv[0]);
        return 2;
    }
    setLibraryLogging(false);
    auto parsed = parseWsUrl(argv[1]);
    if (auto* error = std::get_if<std::string>(&parsed)) fail(*error);
    const std::string mode = argv[2];
    const std::string payload(std::strtoul(argv[3], nullptr, 10), 'x');
    const long count = std::strtol(argv[4], nullptr, 10);
    const long warmup = argc > 5 ? std::strtol(argv[5], nullptr, 10) : 0;

    Client client(std::get<WsUrl>(parsed).toString());
    if (mode == "connect") {
        for (long i = 0; i < warmup + count; ++i) {
            const auto start = Clock::now();
            client.open();
            if (i >= warmup) std::printf("%.3f\n", secondsSince(start) * 1e6);
            client.close();
        }
        return 0;
    }
    client.open();
    if (mode == "rtt") {
        for (long i = 0; i < warmup + count; ++i) {
            const auto start = Clock::now();
            client.send(payload);
            client.nextMessage();
            if (i >= warmup) std::printf("%.3f\n", secondsSince(start) * 1e6);
        }
    } else if (mode == "throughput") {
        const auto start = Clock::now();
        for (long i = 0; i < count; ++i) client.send(payload);
        for (long i = 0; i < count; ++i) client.nextMessage();
        std::printf("%.6f\n", secondsSince(start));
    } else if (mode == "big") {
        for (long i = 0; i < count; ++i) {
            const auto start = Clock::now();
            client.send(payload);
            if (client.nextMessage()->data.size() != payload.size()) fail("short echo");
            std::printf("%.6f\n", secondsSince(start));
        }
    } else {
        fail("unknown mode " + mode);
    }
    client.close();
    return 0;
}
