// Recording files for the window, read or written on a thread of their own: a file opened can be
// hundreds of megabytes, and a save ends with fsync. The window loop picks up what is done.
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "wsdemo/recording.h"

namespace wsdemo {

class RecordingFiles {
public:
    struct Opened {
        std::string path;
        std::variant<RecordingRead, std::string> read;  // readRecordingFile's.
    };
    struct Saved {
        std::string path;
        std::size_t events = 0;
        std::string error;  // writeRecording's; empty once saved.
    };
    using Done = std::variant<Opened, Saved>;

    RecordingFiles() = default;
    ~RecordingFiles() { finish(); }  // Bounded: a file of at most 512 MiB either way.
    RecordingFiles(const RecordingFiles&) = delete;
    RecordingFiles& operator=(const RecordingFiles&) = delete;

    // Each starts its job and calls `done` on the job's thread once take() has it (e.g. to wake
    // the loop). False, and nothing started, while another job is under way: see underWay().
    bool open(std::string path, RecordingLimits limits, std::function<void()> done);
    bool save(std::string path, std::vector<RecordedEvent> events, std::string creatorVersion,
              std::function<void()> done);
    // The job's outcome, once finished.
    std::optional<Done> take();
    // Waits for a job under way, if any (before the loop `done` wakes goes away).
    void finish();
    bool busy() const { return job_.valid(); }
    // What is under way, e.g. "reading /tmp/a.har"; empty when idle.
    std::string underWay() const;

private:
    bool start(std::string verb, std::string path, std::function<Done(const std::string&)> job,
               std::function<void()> done);

    std::string verb_;
    std::string path_;
    std::future<Done> job_;
    std::thread thread_;
};

}  // namespace wsdemo
