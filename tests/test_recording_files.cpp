#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "recording_files.h"
#include "support/messages.h"
#include "support/recorded_events.h"
#include "support/temporary_directory.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

std::vector<RecordedEvent> messages(std::initializer_list<const char*> texts) {
    std::vector<RecordedEvent> events;
    for (const char* text : texts)
        events.push_back(test::recordedMessage(WallClock::now(), 1, RecordedDirection::kSend,
                                               test::textMessage(text)));
    return events;
}

// Holds a job's thread in its `done` until released: the job stays under way meanwhile.
class Gate {
public:
    std::function<void()> done() {
        return [this] {
            std::unique_lock lock(mutex_);
            entered_ = true;
            changed_.notify_all();
            changed_.wait(lock, [this] { return open_; });
        };
    }
    bool waitEntered() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 10s, [this] { return entered_; });
    }
    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool entered_ = false;
    bool open_ = false;
};

// The loop's side: take() until the job is done, within a deadline.
std::optional<RecordingFiles::Done> takeWithin(RecordingFiles& files,
                                               std::chrono::seconds deadline = 10s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (auto done = files.take()) return done;
        std::this_thread::sleep_for(1ms);
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("A save is written off the caller's thread and then read back whole",
          "[recording_files]") {
    TemporaryDirectory directory;
    const std::string path = directory / "log.jsonl";
    RecordingFiles files;
    Gate gate;

    REQUIRE(files.save(path, messages({"one", "two", "three"}), "9.9.9", gate.done()));
    REQUIRE(gate.waitEntered());  // The file is written by now; take() waits for done().
    CHECK(files.busy());
    CHECK(files.underWay() == "saving " + path);
    gate.open();

    const auto saved = takeWithin(files);
    REQUIRE(saved);
    const auto& outcome = std::get<RecordingFiles::Saved>(*saved);
    CHECK(outcome.path == path);
    CHECK(outcome.events == 3);
    CHECK(outcome.error.empty());
    CHECK_FALSE(files.busy());
    CHECK(files.underWay().empty());

    REQUIRE(files.open(path, RecordingLimits{}, [] {}));
    const auto opened = takeWithin(files);
    REQUIRE(opened);
    const auto& read = std::get<RecordingRead>(std::get<RecordingFiles::Opened>(*opened).read);
    REQUIRE(read.events.size() == 3);
    CHECK(read.events[0].message->data == "one");
    CHECK(read.events[2].message->data == "three");
    CHECK(read.problems.empty());
}

TEST_CASE("One file job at a time: another is refused while one is under way",
          "[recording_files]") {
    TemporaryDirectory directory;
    RecordingFiles files;
    Gate gate;

    REQUIRE(files.save(directory / "a.har", messages({"x"}), "9.9.9", gate.done()));
    REQUIRE(gate.waitEntered());
    CHECK_FALSE(files.save(directory / "b.jsonl", messages({"y"}), "9.9.9", [] {}));
    CHECK_FALSE(files.open(directory / "a.har", RecordingLimits{}, [] {}));
    CHECK(files.underWay() == "saving " + (directory / "a.har"));
    gate.open();

    REQUIRE(takeWithin(files));
    CHECK(files.open(directory / "a.har", RecordingLimits{}, [] {}));
    REQUIRE(takeWithin(files));
}

TEST_CASE("What a file job could not do is its outcome, not an exception", "[recording_files]") {
    TemporaryDirectory directory;
    RecordingFiles files;

    SECTION("a save into a directory that does not exist") {
        const std::string path = directory / "missing/log.jsonl";
        REQUIRE(files.save(path, messages({"x"}), "9.9.9", [] {}));
        const auto saved = takeWithin(files);
        REQUIRE(saved);
        CHECK(std::get<RecordingFiles::Saved>(*saved).error.find("cannot write " + path) == 0);
    }
    SECTION("a file that does not exist") {
        const std::string path = directory / "missing.jsonl";
        REQUIRE(files.open(path, RecordingLimits{}, [] {}));
        const auto opened = takeWithin(files);
        REQUIRE(opened);
        const auto& read = std::get<RecordingFiles::Opened>(*opened).read;
        REQUIRE(std::holds_alternative<std::string>(read));
        CHECK(std::get<std::string>(read).find(path) != std::string::npos);
    }
}

TEST_CASE("A file job's done() is what wakes the loop, once", "[recording_files]") {
    TemporaryDirectory directory;
    RecordingFiles files;
    std::mutex mutex;
    std::condition_variable woken;
    int wakes = 0;

    REQUIRE(files.save(directory / "log.jsonl", messages({"x"}), "9.9.9", [&] {
        std::lock_guard lock(mutex);
        ++wakes;
        woken.notify_all();
    }));
    {
        std::unique_lock lock(mutex);
        REQUIRE(woken.wait_for(lock, 10s, [&] { return wakes > 0; }));
    }
    REQUIRE(files.take());  // Ready once woken: no polling needed.
    CHECK(wakes == 1);
}
