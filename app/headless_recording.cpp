#include "headless_recording.h"

#include <utility>
#include <vector>

#include "headless_io.h"

namespace wsdemo {

HeadlessRecording::HeadlessRecording(std::string path)
    : path_(std::move(path)), format_(formatForPath(path_)) {
    if (format_ == RecordingFormat::kJsonLines)
        if (std::string why = writer_.open(path_); !why.empty()) fail(why);
}

void HeadlessRecording::willConnect(const std::string& url, const ConnectOptions& options) {
    recorder_.willConnect(url, options);
}

void HeadlessRecording::add(const ChannelEvent& event, bool timed) {
    if (failed_) return;
    const std::size_t before = recorder_.events().size();
    recorder_.add(event, wallTimeOf_(event.at), timed);
    if (format_ == RecordingFormat::kHar) {
        if (recorder_.cutShort() && !std::exchange(cutShortSaid_, true))
            say(path_ + ": the recording stopped at its limit of " +
                std::to_string(recorder_.limits().maxEvents) + " events or " +
                std::to_string(recorder_.limits().maxBytes >> 20) +
                " MiB of message data: later events were left out");
        return;
    }
    // JSON Lines: the Recorder only converts; the writer keeps nothing and applies the limits.
    for (std::size_t i = before; i < recorder_.events().size(); ++i) append(recorder_.events()[i]);
    recorder_.clear();
}

void HeadlessRecording::append(const RecordedEvent& event) {
    const std::string problem = writer_.append(event);
    if (problem.empty()) return;
    if (writer_.cutShort())
        say(path_ + ": " + problem);
    else
        fail(problem);
}

void HeadlessRecording::finish() {
    if (failed_ || format_ != RecordingFormat::kHar) return;
    const std::vector<RecordedEvent> events(recorder_.events().begin(), recorder_.events().end());
    if (std::string why = writeRecording(path_, events, WSDEMO_VERSION); !why.empty()) fail(why);
}

void HeadlessRecording::fail(const std::string& why) {
    failed_ = true;
    say("not recording: " + why + " (the connection goes on)");
}

}  // namespace wsdemo
