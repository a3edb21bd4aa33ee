#include "recording_files.h"

#include <chrono>
#include <utility>

namespace wsdemo {

void RecordingOpener::finish() {
    if (thread_.joinable()) thread_.join();
}

bool RecordingOpener::start(std::string path, RecordingLimits limits, std::function<void()> done) {
    if (busy()) return false;
    path_ = std::move(path);
    std::promise<Result> result;
    reading_ = result.get_future();
    thread_ = std::thread(
        [path = path_, limits, done = std::move(done), result = std::move(result)]() mutable {
            result.set_value(readRecordingFile(path, limits));
            done();
        });
    return true;
}

std::optional<std::pair<std::string, RecordingOpener::Result>> RecordingOpener::take() {
    if (!busy() || reading_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    thread_.join();  // It is only calling done() by now.
    return std::pair{path_, reading_.get()};
}

}  // namespace wsdemo
