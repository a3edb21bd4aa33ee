#include "recording_files.h"

#include <chrono>
#include <utility>

namespace wsdemo {

void RecordingFiles::finish() {
    if (thread_.joinable()) thread_.join();
}

std::string RecordingFiles::underWay() const {
    return busy() ? verb_ + " " + path_ : "";
}

bool RecordingFiles::open(std::string path, RecordingLimits limits, std::function<void()> done) {
    return start(
        "reading", std::move(path),
        [limits](const std::string& file) -> Done {
            return Opened{file, readRecordingFile(file, limits)};
        },
        std::move(done));
}

bool RecordingFiles::save(std::string path, std::vector<RecordedEvent> events,
                          std::string creatorVersion, std::function<void()> done) {
    return start(
        "saving", std::move(path),
        [events = std::move(events),
         creatorVersion = std::move(creatorVersion)](const std::string& file) -> Done {
            return Saved{file, events.size(), writeRecording(file, events, creatorVersion)};
        },
        std::move(done));
}

bool RecordingFiles::start(std::string verb, std::string path,
                           std::function<Done(const std::string&)> job,
                           std::function<void()> done) {
    if (busy()) return false;
    verb_ = std::move(verb);
    path_ = std::move(path);
    std::promise<Done> outcome;
    job_ = outcome.get_future();
    thread_ = std::thread([path = path_, job = std::move(job), done = std::move(done),
                           outcome = std::move(outcome)]() mutable {
        outcome.set_value(job(path));
        done();
    });
    return true;
}

std::optional<RecordingFiles::Done> RecordingFiles::take() {
    if (!busy() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    thread_.join();  // It is only calling done() by now.
    return job_.get();
}

}  // namespace wsdemo
