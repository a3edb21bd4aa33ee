// parseRecording() on any bytes, as JSON Lines or HAR: no crash, no stack exhaustion, events
// within the limits and whole, problems bounded and one line each, and what was read written
// again as JSON Lines reads back the same; a HAR cut short keeps its first messages whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support.h"
#include "wsdemo/recording.h"
#include "wsdemo/text.h"

namespace {

// Small limits, so that the fuzzer reaches them.
constexpr wsdemo::RecordingLimits kLimits{40, 2048};

std::size_t dataBytes(const wsdemo::RecordedEvent& event) {
    return (event.message ? event.message->data.size() : 0) + event.payload.size();
}

void checkEvents(const wsdemo::RecordingRead& read) {
    fuzz::check(read.events.size() <= kLimits.maxEvents, "events within the count limit");
    std::size_t bytes = 0;
    for (const wsdemo::RecordedEvent& event : read.events) {
        bytes += dataBytes(event);
        const bool isMessage = event.kind == wsdemo::RecordedKind::kMessage;
        fuzz::check(isMessage == bool(event.message), "a message event, and only it, has data");
        fuzz::check((event.kind == wsdemo::RecordedKind::kOpen) == bool(event.opened),
                    "an open event, and only it, has its request");
        if (isMessage && event.message->type == wsdemo::Message::Type::kText)
            fuzz::check(wsdemo::isValidUtf8(event.message->data), "a text message is UTF-8");
    }
    fuzz::check(bytes <= kLimits.maxBytes, "events within the byte limit");
}

void checkProblems(const wsdemo::RecordingRead& read) {
    fuzz::check(read.problems.size() <= wsdemo::RecordingRead::kMaxProblems + 1,
                "problems are bounded");
    fuzz::check(!read.cutShort || !read.problems.empty(), "a recording cut short says so");
    for (const std::string& problem : read.problems) {
        fuzz::check(!problem.empty() && problem.find('\n') == std::string::npos,
                    "a problem is one line");
        fuzz::check(wsdemo::isValidUtf8(problem), "a problem is UTF-8");
    }
}

// JSON Lines are lossless: what was read, written again, reads back the same.
void checkRoundTrip(const wsdemo::RecordingRead& read) {
    std::string file = wsdemo::jsonLinesHeader() + "\n";
    for (const wsdemo::RecordedEvent& event : read.events) file += toJsonLine(event) + "\n";
    const wsdemo::RecordingRead again = wsdemo::parseRecording(file, kLimits);
    fuzz::check(again.problems.empty(), "what was read is written readably");
    fuzz::check(again.events.size() == read.events.size(), "a round trip keeps every event");
    for (std::size_t i = 0; i < read.events.size(); ++i) {
        const wsdemo::RecordedEvent &a = read.events[i], &b = again.events[i];
        fuzz::check(a.wallTime == b.wallTime && a.connection == b.connection && a.kind == b.kind &&
                        a.payload == b.payload && a.closeCode == b.closeCode && a.timed == b.timed,
                    "a round trip keeps every field");
        fuzz::check(!a.message ||
                        (a.message->type == b.message->type && a.message->data == b.message->data),
                    "a round trip keeps every message");
        fuzz::check(a.kind == wsdemo::RecordedKind::kOpen || a.direction == b.direction,
                    "a round trip keeps directions");
    }
}

std::vector<wsdemo::RecordedEvent> messagesOf(const wsdemo::RecordingRead& read) {
    std::vector<wsdemo::RecordedEvent> messages;
    for (const wsdemo::RecordedEvent& event : read.events)
        if (event.kind == wsdemo::RecordedKind::kMessage) messages.push_back(event);
    return messages;
}

// A HAR read whole, cut short: the messages kept are the first of the whole file's, each
// one equal, never one cut short.
void checkCuts(std::string_view text, const wsdemo::RecordingRead& read) {
    if (read.format != wsdemo::RecordingFormat::kHar || !read.problems.empty() || read.cutShort)
        return;
    const auto whole = messagesOf(read);
    for (const std::size_t cut : {text.size() / 2, text.size() * 3 / 4, text.size() - 1}) {
        const auto kept = messagesOf(wsdemo::parseRecording(text.substr(0, cut), kLimits));
        fuzz::check(kept.size() <= whole.size(), "a cut HAR keeps no message the whole lacks");
        for (std::size_t i = 0; i < kept.size() && i < whole.size(); ++i)
            fuzz::check(kept[i].wallTime == whole[i].wallTime &&
                            kept[i].direction == whole[i].direction &&
                            kept[i].message->type == whole[i].message->type &&
                            kept[i].message->data == whole[i].message->data,
                        "a cut HAR keeps the first messages, each one whole");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const wsdemo::RecordingRead read = wsdemo::parseRecording(fuzz::asText(data, size), kLimits);
    checkEvents(read);
    checkProblems(read);
    checkRoundTrip(read);
    checkCuts(fuzz::asText(data, size), read);
    return 0;
}
