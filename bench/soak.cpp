// Soak: a million echoed messages of mixed sizes through one Channel, checking every echo and
// printing the process's RSS as it goes. A benchmark that prints figures, not a test.
//   wsdemo_bench_soak [MESSAGES] [ws://URL]   (without a URL: an EchoServer in this process)
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "wsdemo/channel.h"
#include "wsdemo/echo_server.h"
#include "wsdemo/logging.h"

using namespace wsdemo;
using Clock = std::chrono::steady_clock;

namespace {

long rssKiB() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

double megabytes(long kib) {
    return static_cast<double>(kib) / 1024.0;
}

// Message i's size and bytes, reproducible from i alone, so echoes are checked byte for byte:
// mostly small, some kilobytes, a few 64 KiB, one in a thousand 1 MiB.
std::string messageFor(long i) {
    std::mt19937 random(static_cast<unsigned>(i));
    const auto roll = random() % 1000;
    const std::size_t size = roll < 700   ? random() % 128
                             : roll < 950 ? 128 + random() % 4096
                             : roll < 999 ? 4096 + random() % (60 * 1024)
                                          : 1u << 20;
    std::string text(size, 'a');
    for (std::size_t k = 0; k < size; k += 61) text[k] = static_cast<char>('a' + (i + k) % 26);
    return text;
}

}  // namespace

int main(int argc, char* argv[]) {
    const long total = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1'000'000;
    setLibraryLogging(false);
    std::unique_ptr<EchoServer> server;
    std::string url = argc > 2 ? argv[2] : "";
    if (url.empty()) {
        server = std::make_unique<EchoServer>();
        url = server->url();
    }

    struct Wake {
        std::mutex mutex;
        std::condition_variable condition;
        bool pending = false;
    };
    auto wake = std::make_shared<Wake>();
    Channel channel([wake] {
        std::lock_guard<std::mutex> lock(wake->mutex);
        wake->pending = true;
        wake->condition.notify_one();
    });
    channel.connect(url);

    constexpr long kInFlight = 64;  // Pipelined: the soak is about memory, not latency.
    long sent = 0, received = 0, bytes = 0;
    const auto start = Clock::now();
    long baselineKiB = 0, peakKiB = 0;
    std::printf("messages,seconds,rss_kib\n");
    while (received < total) {
        while (sent < total && sent - received < kInFlight) {
            std::string text = messageFor(sent++);
            bytes += static_cast<long>(text.size());
            if (channel.send(std::move(text)) != SendResult::kQueued) {
                std::fprintf(stderr, "soak: send %ld refused\n", sent - 1);
                return 1;
            }
        }
        {
            std::unique_lock<std::mutex> lock(wake->mutex);
            if (!wake->condition.wait_for(lock, std::chrono::seconds(10),
                                          [&] { return wake->pending; })) {
                std::fprintf(stderr, "soak: no echo for 10 s after %ld messages\n", received);
                return 1;
            }
            wake->pending = false;
        }
        for (const ChannelEvent& event : channel.drainEvents()) {
            if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
                if (changed->status.state != ReadyState::kClosed) continue;
                std::fprintf(stderr, "soak: closed after %ld: %s\n", received,
                             changed->status.error.c_str());
                return 1;
            }
            const auto* echoed = std::get_if<MessageReceived>(&event.what);
            if (!echoed) continue;
            if (echoed->message->data != messageFor(received)) {
                std::fprintf(stderr, "soak: echo %ld differs\n", received);
                return 1;
            }
            if (++received % 100'000 == 0 || received == total) {
                const long kib = rssKiB();
                if (!baselineKiB) baselineKiB = kib;  // Warmed up: buffers and allocator.
                peakKiB = std::max(peakKiB, kib);
                std::printf("%ld,%.1f,%ld\n", received,
                            std::chrono::duration<double>(Clock::now() - start).count(), kib);
                std::fflush(stdout);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr,
                 "soak: %ld messages (%.0f MB each way) echoed and checked in %.1f s; RSS %.1f MB "
                 "at the first report, %.1f MB at most, %.1f MB at the end\n",
                 total, static_cast<double>(bytes) / 1e6, seconds, megabytes(baselineKiB),
                 megabytes(peakKiB), megabytes(rssKiB()));
    return 0;
}
