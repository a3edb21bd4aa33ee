// Recording files for the window: a file opened on a thread of its own (one can be hundreds of
// megabytes), picked up by the window loop once read.
#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "wsdemo/recording.h"

namespace wsdemo {

class RecordingOpener {
public:
    using Result = std::variant<RecordingRead, std::string>;  // readRecordingFile's.

    RecordingOpener() = default;
    ~RecordingOpener() { finish(); }  // Bounded: a file of at most 512 MiB.
    RecordingOpener(const RecordingOpener&) = delete;
    RecordingOpener& operator=(const RecordingOpener&) = delete;

    // Starts reading `path`; `done` is called on the reading thread once take() has it (e.g.
    // to wake the loop). False, and nothing started, while another file is still being read.
    bool start(std::string path, RecordingLimits limits, std::function<void()> done);
    // The file read, once finished: its path and what was read or why not.
    std::optional<std::pair<std::string, Result>> take();
    // Waits for a read under way, if any (before the loop `done` wakes goes away).
    void finish();
    bool busy() const { return reading_.valid(); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::future<Result> reading_;
    std::thread thread_;
};

}  // namespace wsdemo
