#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/messages.h"
#include "support/recorded_events.h"
#include "support/temporary_directory.h"
#include "wsdemo/recording.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::binaryMessage;
using wsdemo::test::recordedEvent;
using wsdemo::test::recordedMessage;
using wsdemo::test::textMessage;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// 2025-11-28T22:46:40.123456Z plus `micros`.
WallClock::time_point at(int64_t micros) {
    return WallClock::time_point(std::chrono::microseconds(int64_t{1764370000123456} + micros));
}

int64_t micros(WallClock::time_point time) {
    return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

std::string allByteValues() {
    std::string bytes;
    for (int value = 0; value < 256; ++value) bytes += static_cast<char>(value);
    return bytes;
}

ChannelEvent channelEvent(uint64_t connection, decltype(ChannelEvent::what) what) {
    return ChannelEvent{SteadyClock::now(), connection, std::move(what)};
}

ChannelEvent stateChanged(uint64_t connection, ReadyState state, uint16_t closeCode = 0,
                          std::string reason = {}, CloseInitiator by = CloseInitiator::kNone) {
    ChannelStatus status;
    status.state = state;
    status.url = "ws://127.0.0.1:9001/chat?room=1";
    if (state != ReadyState::kConnecting) {
        status.protocol = "chat";
        status.extensions = "permessage-deflate";
    }
    status.closeCode = closeCode;
    status.closeReason = std::move(reason);
    status.closedBy = by;
    return channelEvent(connection, StateChanged{status});
}

std::shared_ptr<const RecordedConnection> opened() {
    return std::make_shared<const RecordedConnection>(
        RecordedConnection{"ws://127.0.0.1:9001/chat?room=1&x",
                           {{"Origin", "http://example.test"}, {"X-Token", "abc def"}},
                           {"chat", "superchat"},
                           "chat",
                           "permessage-deflate"});
}

// Every kind of event, every field used, the awkward data included.
std::vector<RecordedEvent> everyKindOfEvent() {
    std::vector<RecordedEvent> events;
    events.push_back(recordedEvent(at(0), 1, RecordedKind::kOpen));
    events.back().opened = opened();
    events.push_back(recordedMessage(at(10), 1, RecordedDirection::kSend, textMessage("hello")));
    events.push_back(
        recordedMessage(at(20), 1, RecordedDirection::kReceive,
                        textMessage("\xf0\x9f\x8e\x89 \xe6\x97\xa5\xe6\x9c\xac\nline 2\r\n"
                                    "\"quoted\" \\ \t tab")));
    events.push_back(
        recordedMessage(at(30), 1, RecordedDirection::kReceive, binaryMessage(allByteValues())));
    events.push_back(recordedMessage(at(40), 1, RecordedDirection::kReceive, textMessage("")));
    events.push_back(recordedMessage(at(50), 1, RecordedDirection::kSend, binaryMessage(""), true));
    events.push_back(
        recordedMessage(at(1500000), 1, RecordedDirection::kSend, textMessage("timed"), true));
    events.push_back(recordedEvent(at(1500001), 1, RecordedKind::kPing, RecordedDirection::kSend));
    events.back().payload = std::string("p\0\xff", 3);
    events.push_back(
        recordedEvent(at(1500002), 1, RecordedKind::kPong, RecordedDirection::kReceive));
    events.back().payload = std::string("p\0\xff", 3);
    events.push_back(recordedEvent(at(1500003), 1, RecordedKind::kPong, RecordedDirection::kSend));
    events.push_back(recordedEvent(at(1500004), 1, RecordedKind::kClose, RecordedDirection::kSend));
    events.back().closeCode = 1000;
    events.back().payload = "bye \xe2\x9c\x93";
    events.push_back(recordedEvent(at(2000000), 2, RecordedKind::kOpen));
    events.back().opened = std::make_shared<const RecordedConnection>(
        RecordedConnection{"wss://[::1]/", {}, {}, "", ""});
    events.push_back(
        recordedMessage(at(2000001), 2, RecordedDirection::kSend, textMessage("again")));
    events.push_back(
        recordedEvent(at(2000002), 2, RecordedKind::kClose, RecordedDirection::kReceive));
    events.back().closeCode = 4000;
    events.back().payload = "\xff not UTF-8, sent on purpose";
    return events;
}

std::string jsonLines(const std::vector<RecordedEvent>& events) {
    std::string file = jsonLinesHeader() + "\n";
    for (const RecordedEvent& recorded : events) file += toJsonLine(recorded) + "\n";
    return file;
}

void checkSameConnection(const RecordedConnection& read, const RecordedConnection& written) {
    CHECK(read.url == written.url);
    REQUIRE(read.headers.size() == written.headers.size());
    for (std::size_t i = 0; i < read.headers.size(); ++i) {
        CHECK(read.headers[i].name == written.headers[i].name);
        CHECK(read.headers[i].value == written.headers[i].value);
    }
    CHECK(read.subprotocols == written.subprotocols);
    CHECK(read.protocol == written.protocol);
    CHECK(read.extensions == written.extensions);
}

void checkSameEvents(const std::vector<RecordedEvent>& read,
                     const std::vector<RecordedEvent>& written) {
    REQUIRE(read.size() == written.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        INFO("event " << i);
        CHECK(micros(read[i].wallTime) == micros(written[i].wallTime));
        CHECK(read[i].connection == written[i].connection);
        CHECK(read[i].kind == written[i].kind);
        CHECK(read[i].direction == written[i].direction);
        CHECK(read[i].payload == written[i].payload);
        CHECK(read[i].closeCode == written[i].closeCode);
        CHECK(read[i].timed == written[i].timed);
        REQUIRE(bool(read[i].message) == bool(written[i].message));
        if (read[i].message) {
            CHECK(read[i].message->type == written[i].message->type);
            CHECK(read[i].message->data == written[i].message->data);
        }
        REQUIRE(bool(read[i].opened) == bool(written[i].opened));
        if (read[i].opened) checkSameConnection(*read[i].opened, *written[i].opened);
    }
}

std::vector<std::string> problemsOf(std::string_view file) {
    return parseRecording(file).problems;
}

}  // namespace

TEST_CASE("The recorder keeps what happened on each connection", "[recording]") {
    Recorder recorder;
    ConnectOptions options;
    options.subprotocols = {"chat", "superchat"};
    options.headers = {{"X-Token", "abc"}};
    options.origin = "http://example.test";
    recorder.willConnect("ws://127.0.0.1:9001/chat?room=1", options);

    const MessagePtr hello = textMessage("hello"), hi = textMessage("hi"),
                     bytes = binaryMessage({"\0\x01\xff", 3}), empty = textMessage(""),
                     emptyBinary = binaryMessage("");
    std::vector<std::pair<ChannelEvent, bool>> events = {
        {stateChanged(1, ReadyState::kConnecting), false},
        {stateChanged(1, ReadyState::kOpen), false},
        {channelEvent(1, MessageSent{hello}), false},
        {channelEvent(1, MessageReceived{hi}), false},
        {channelEvent(1, MessageReceived{bytes}), false},
        {channelEvent(1, MessageReceived{empty}), false},
        {channelEvent(1, MessageSent{emptyBinary}), true},
        {channelEvent(1, PingSent{"p1", false}), false},
        {channelEvent(1, PongReceived{"p1", 250us}), false},
        {channelEvent(1, PongSent{"unasked"}), false},
        {stateChanged(1, ReadyState::kClosing), false},
        {stateChanged(1, ReadyState::kClosed, 1000, "bye", CloseInitiator::kClient), false},
        {channelEvent(1, ReconnectScheduled{1, 500ms}), false},
        {stateChanged(2, ReadyState::kConnecting), false},
        {stateChanged(2, ReadyState::kOpen), false},
        {channelEvent(2, MessageReceived{textMessage("again")}), false},
        {stateChanged(2, ReadyState::kClosed, 1006, "", CloseInitiator::kServer), false},
        // An attempt that never opened has nothing to record.
        {stateChanged(3, ReadyState::kClosed), false},
    };
    for (std::size_t i = 0; i < events.size(); ++i)
        recorder.add(events[i].first, at(static_cast<int64_t>(i)), events[i].second);

    const auto& kept = recorder.events();
    using K = RecordedKind;
    const std::vector<std::pair<uint64_t, K>> expected = {
        {1, K::kOpen},    {1, K::kMessage}, {1, K::kMessage}, {1, K::kMessage}, {1, K::kMessage},
        {1, K::kMessage}, {1, K::kPing},    {1, K::kPong},    {1, K::kPong},    {1, K::kClose},
        {2, K::kOpen},    {2, K::kMessage}, {2, K::kClose}};
    REQUIRE(kept.size() == expected.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
        INFO("event " << i);
        CHECK(kept[i].connection == expected[i].first);
        CHECK(kept[i].kind == expected[i].second);
    }
    CHECK_FALSE(recorder.cutShort());

    SECTION("the open event holds the request and what the server chose") {
        REQUIRE(kept[0].opened);
        const RecordedConnection& request = *kept[0].opened;
        CHECK(request.url == "ws://127.0.0.1:9001/chat?room=1");
        REQUIRE(request.headers.size() == 2);
        CHECK(request.headers[0].name == "Origin");
        CHECK(request.headers[0].value == "http://example.test");
        CHECK(request.headers[1].name == "X-Token");
        CHECK(request.subprotocols == std::vector<std::string>{"chat", "superchat"});
        CHECK(request.protocol == "chat");
        CHECK(request.extensions == "permessage-deflate");
        CHECK(micros(kept[0].wallTime) == micros(at(1)));
        REQUIRE(kept[10].opened);
        CHECK(kept[10].opened->url == request.url);  // A reconnect repeats the request.
    }
    SECTION("messages are the channel's, shared, with their direction") {
        CHECK(kept[1].message == hello);
        CHECK(kept[1].direction == RecordedDirection::kSend);
        CHECK(kept[2].message == hi);
        CHECK(kept[2].direction == RecordedDirection::kReceive);
        CHECK(kept[3].message == bytes);
        CHECK(kept[4].message == empty);
        CHECK(kept[5].message == emptyBinary);
        CHECK(kept[5].direction == RecordedDirection::kSend);
        CHECK(kept[5].timed);
        CHECK_FALSE(kept[1].timed);
    }
    SECTION("pings and pongs with their payloads and directions") {
        CHECK(kept[6].direction == RecordedDirection::kSend);
        CHECK(kept[6].payload == "p1");
        CHECK(kept[7].direction == RecordedDirection::kReceive);
        CHECK(kept[7].payload == "p1");
        CHECK(kept[8].direction == RecordedDirection::kSend);
        CHECK(kept[8].payload == "unasked");
    }
    SECTION("closes say their code, reason and who closed first") {
        CHECK(kept[9].closeCode == 1000);
        CHECK(kept[9].payload == "bye");
        CHECK(kept[9].direction == RecordedDirection::kSend);
        CHECK(kept[12].closeCode == 1006);
        CHECK(kept[12].direction == RecordedDirection::kReceive);
    }
    SECTION("clear() starts again") {
        recorder.clear();
        CHECK(recorder.events().empty());
        recorder.add(stateChanged(4, ReadyState::kOpen), at(100));
        REQUIRE(recorder.events().size() == 1);
        REQUIRE(recorder.events()[0].opened);
        CHECK(recorder.events()[0].opened->headers.size() == 2);  // The request is kept.
    }
}

TEST_CASE("The recorder stops at its limits and says so", "[recording]") {
    SECTION("events") {
        Recorder recorder(RecordingLimits{3, 1000});
        for (int i = 0; i < 3; ++i)
            recorder.add(channelEvent(1, MessageReceived{textMessage("x")}), at(i));
        CHECK_FALSE(recorder.cutShort());
        recorder.add(channelEvent(1, MessageReceived{textMessage("y")}), at(3));
        CHECK(recorder.cutShort());
        CHECK(recorder.events().size() == 3);
    }
    SECTION("bytes, and nothing after the first event left out") {
        Recorder recorder(RecordingLimits{100, 10});
        recorder.add(channelEvent(1, MessageReceived{textMessage("123456")}), at(0));
        recorder.add(channelEvent(1, MessageReceived{textMessage("1234")}), at(1));
        CHECK_FALSE(recorder.cutShort());
        recorder.add(channelEvent(1, PingSent{"p", false}), at(2));
        CHECK(recorder.cutShort());
        recorder.add(channelEvent(1, MessageReceived{textMessage("")}), at(3));
        CHECK(recorder.events().size() == 2);
        recorder.clear();
        CHECK_FALSE(recorder.cutShort());
    }
    SECTION("new limits apply from the next event; what is held stays, and so does a cut") {
        Recorder recorder(RecordingLimits{3, 1000});
        for (int i = 0; i < 3; ++i)
            recorder.add(channelEvent(1, MessageReceived{textMessage("x")}), at(i));
        recorder.setLimits(RecordingLimits{2, 1000});
        CHECK(recorder.events().size() == 3);
        recorder.add(channelEvent(1, MessageReceived{textMessage("y")}), at(3));
        CHECK(recorder.cutShort());
        recorder.setLimits(RecordingLimits{10, 1000});
        recorder.add(channelEvent(1, MessageReceived{textMessage("z")}), at(4));
        CHECK(recorder.events().size() == 3);  // No middle left out.
        recorder.clear();
        for (int i = 0; i < 5; ++i)
            recorder.add(channelEvent(1, MessageReceived{textMessage("x")}), at(i));
        CHECK(recorder.events().size() == 5);
        CHECK_FALSE(recorder.cutShort());
    }
}

TEST_CASE("Recordings are written as JSON Lines or HAR by their name", "[recording]") {
    CHECK(formatForPath("a.har") == RecordingFormat::kHar);
    CHECK(formatForPath("/x/b.HaR") == RecordingFormat::kHar);
    CHECK(formatForPath("c.jsonl") == RecordingFormat::kJsonLines);
    CHECK(formatForPath("har") == RecordingFormat::kJsonLines);
    CHECK(formatForPath("d.har.txt") == RecordingFormat::kJsonLines);
}

TEST_CASE("JSON Lines lines are as documented", "[recording]") {
    CHECK(jsonLinesHeader() == R"({"format":"wsdemo-recording","version":1})");
    const auto events = everyKindOfEvent();
    CHECK(
        toJsonLine(events[0]) ==
        R"({"t":1764370000123456,"conn":1,"event":"open","url":"ws://127.0.0.1:9001/chat?room=1&x",)"
        R"("headers":[["Origin","http://example.test"],["X-Token","abc def"]],)"
        R"("subprotocols":["chat","superchat"],"protocol":"chat","extensions":"permessage-deflate"})");
    CHECK(
        toJsonLine(events[1]) ==
        R"({"t":1764370000123466,"conn":1,"event":"message","dir":"send","opcode":1,"text":"hello"})");
    CHECK(
        toJsonLine(events[5]) ==
        R"({"t":1764370000123506,"conn":1,"event":"message","dir":"send","opcode":2,"base64":"","timed":true})");
    CHECK(toJsonLine(events[7]) ==
          R"({"t":1764370001623457,"conn":1,"event":"ping","dir":"send","base64":"cAD/"})");
    CHECK(
        toJsonLine(events[10]) ==
        R"({"t":1764370001623460,"conn":1,"event":"close","code":1000,"reason":"bye ✓","by":"client"})");
    CHECK(toJsonLine(events[13]).find(R"("reason_base64":"/yBub3)") != std::string::npos);
}

TEST_CASE("JSON Lines round trip loses nothing", "[recording]") {
    const auto events = everyKindOfEvent();
    const RecordingRead read = parseRecording(jsonLines(events));
    CHECK(read.format == RecordingFormat::kJsonLines);
    CHECK(read.problems.empty());
    CHECK_FALSE(read.cutShort);
    checkSameEvents(read.events, events);
    SECTION("with CRLF line ends and blank lines too") {
        std::string file = jsonLines(events), crlf;
        for (const char c : file) crlf += c == '\n' ? std::string("\r\n\n") : std::string(1, c);
        const RecordingRead again = parseRecording(crlf);
        CHECK(again.problems.empty());
        checkSameEvents(again.events, events);
    }
}

TEST_CASE("HAR round trip keeps the connections and their messages", "[recording]") {
    const auto events = everyKindOfEvent();
    const std::string har = toHar(events, "1.2.3");
    const RecordingRead read = parseRecording(har);
    CHECK(read.format == RecordingFormat::kHar);
    CHECK(read.problems.empty());

    // Messages and opens only: HAR has no place for pings, pongs and closes.
    std::vector<RecordedEvent> expected;
    for (const RecordedEvent& recorded : events)
        if (recorded.kind == RecordedKind::kOpen || recorded.kind == RecordedKind::kMessage)
            expected.push_back(recorded);
    REQUIRE(read.events.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("event " << i);
        CHECK(read.events[i].kind == expected[i].kind);
        CHECK(read.events[i].connection == expected[i].connection);
        if (expected[i].kind == RecordedKind::kOpen) {
            // startedDateTime has milliseconds.
            CHECK(std::abs(micros(read.events[i].wallTime) - micros(expected[i].wallTime)) < 1000);
            checkSameConnection(*read.events[i].opened, *expected[i].opened);
            continue;
        }
        CHECK(std::abs(micros(read.events[i].wallTime) - micros(expected[i].wallTime)) <= 1);
        CHECK(read.events[i].direction == expected[i].direction);
        CHECK(read.events[i].message->type == expected[i].message->type);
        CHECK(read.events[i].message->data == expected[i].message->data);
    }

    SECTION("the document is HAR 1.2 with Chrome's WebSocket fields") {
        const auto document = nlohmann::json::parse(har);
        const auto& log = document["log"];
        CHECK(log["version"] == "1.2");
        CHECK(log["creator"] == nlohmann::json{{"name", "wsdemo"}, {"version", "1.2.3"}});
        CHECK(log["pages"] == nlohmann::json::array());
        REQUIRE(log["entries"].size() == 2);
        const auto& entry = log["entries"][0];
        CHECK(entry["startedDateTime"] == "2025-11-28T22:46:40.123Z");
        CHECK(entry["time"] == 1500.004);
        CHECK(entry["_resourceType"] == "websocket");
        CHECK(entry["cache"] == nlohmann::json::object());
        CHECK(entry["timings"]["wait"] == 1500.004);
        const auto& request = entry["request"];
        CHECK(request["method"] == "GET");
        CHECK(request["httpVersion"] == "HTTP/1.1");
        CHECK(request["headersSize"] == -1);
        CHECK(request["bodySize"] == 0);
        CHECK(request["cookies"] == nlohmann::json::array());
        CHECK(request["queryString"] ==
              nlohmann::json::parse(R"([{"name":"room","value":"1"},{"name":"x","value":""}])"));
        const auto header = [](const nlohmann::json& headers, const std::string& name) {
            for (const auto& item : headers)
                if (item["name"] == name) return item["value"].get<std::string>();
            return std::string("(none)");
        };
        CHECK(header(request["headers"], "Host") == "127.0.0.1:9001");
        CHECK(header(request["headers"], "Upgrade") == "websocket");
        CHECK(header(request["headers"], "Connection") == "Upgrade");
        CHECK(header(request["headers"], "Sec-WebSocket-Version") == "13");
        CHECK(header(request["headers"], "Sec-WebSocket-Protocol") == "chat, superchat");
        CHECK(header(request["headers"], "Origin") == "http://example.test");
        const auto& response = entry["response"];
        CHECK(response["status"] == 101);
        CHECK(response["statusText"] == "Switching Protocols");
        CHECK(response["content"] == nlohmann::json{{"size", 0}, {"mimeType", "x-unknown"}});
        CHECK(response["redirectURL"] == "");
        CHECK(response["bodySize"] == -1);
        CHECK(header(response["headers"], "Sec-WebSocket-Protocol") == "chat");
        CHECK(header(response["headers"], "Sec-WebSocket-Extensions") == "permessage-deflate");
        const auto& messages = entry["_webSocketMessages"];
        REQUIRE(messages.size() == 6);
        CHECK(messages[0] ==
              nlohmann::json::parse(
                  R"({"type":"send","time":1764370000.123466,"opcode":1,"data":"hello"})"));
        CHECK(messages[2]["opcode"] == 2);
        CHECK(messages[2]["data"] == toBase64(allByteValues()));
        CHECK(header(log["entries"][1]["request"]["headers"], "Host") == "[::1]");
    }
}

TEST_CASE("A HAR saved by Chrome's devtools opens", "[recording]") {
    // The fields Chrome writes for a page that opened a WebSocket, other entries included.
    const std::string har = R"har({
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [{"startedDateTime": "2025-11-28T22:46:39.000Z", "id": "page_1",
               "title": "http://localhost:8000/", "pageTimings": {"onContentLoad": 35.2, "onLoad": 40.1}}],
    "entries": [
      {"_initiator": {"type": "other"}, "_priority": "VeryHigh", "_resourceType": "document",
       "cache": {}, "connection": "1021", "pageref": "page_1",
       "request": {"method": "GET", "url": "http://localhost:8000/", "httpVersion": "HTTP/1.1",
                   "headers": [{"name": "Host", "value": "localhost:8000"}], "queryString": [],
                   "cookies": [], "headersSize": 300, "bodySize": 0},
       "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [],
                    "cookies": [], "content": {"size": 120, "mimeType": "text/html"},
                    "redirectURL": "", "headersSize": 100, "bodySize": 120, "_transferSize": 220},
       "serverIPAddress": "127.0.0.1", "startedDateTime": "2025-11-28T22:46:39.010Z",
       "time": 5.1, "timings": {"blocked": 1.0, "dns": -1, "ssl": -1, "connect": -1,
                                 "send": 0.1, "wait": 3.0, "receive": 1.0, "_blocked_queueing": 0.5}},
      {"_initiator": {"type": "script", "stack": {"callFrames": [{"functionName": "", "scriptId": "12",
          "url": "http://localhost:8000/app.js", "lineNumber": 3, "columnNumber": 14}]}},
       "_priority": "Low", "_resourceType": "websocket", "cache": {}, "connection": "1022",
       "pageref": "page_1",
       "request": {"method": "GET", "url": "ws://localhost:8000/socket?token=abc",
                   "httpVersion": "HTTP/1.1",
                   "headers": [{"name": "Host", "value": "localhost:8000"},
                               {"name": "Connection", "value": "Upgrade"},
                               {"name": "Pragma", "value": "no-cache"},
                               {"name": "Cache-Control", "value": "no-cache"},
                               {"name": "User-Agent", "value": "Mozilla/5.0 (X11; Linux x86_64)"},
                               {"name": "Upgrade", "value": "websocket"},
                               {"name": "Origin", "value": "http://localhost:8000"},
                               {"name": "Sec-WebSocket-Version", "value": "13"},
                               {"name": "Accept-Encoding", "value": "gzip, deflate, br"},
                               {"name": "Accept-Language", "value": "en-US,en;q=0.9"},
                               {"name": "Sec-WebSocket-Key", "value": "dGhlIHNhbXBsZSBub25jZQ=="},
                               {"name": "Sec-WebSocket-Extensions", "value": "permessage-deflate; client_max_window_bits"},
                               {"name": "Sec-WebSocket-Protocol", "value": "chat, superchat"}],
                   "queryString": [{"name": "token", "value": "abc"}], "cookies": [],
                   "headersSize": 560, "bodySize": 0
}
, "response" : {
    "status" : 101,
    "statusText" : "Switching Protocols",
    "httpVersion" : "HTTP/1.1",
    "headers" : [
        {"name" : "Upgrade", "value" : "websocket"}, {"name" : "Connection", "value" : "Upgrade"},
        {"name" : "Sec-WebSocket-Accept", "value" : "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
        {"name" : "Sec-WebSocket-Protocol", "value" : "chat"},
        {"name" : "Sec-WebSocket-Extensions", "value" : "permessage-deflate"}
    ],
    "cookies" : [],
    "content" : {"size" : 0, "mimeType" : "x-unknown"},
    "redirectURL" : "",
    "headersSize" : -1,
    "bodySize" : -1,
    "_transferSize" : 0,
    "_error" : null
},
               "serverIPAddress" : "127.0.0.1",
                                   "startedDateTime" : "2025-11-28T22:46:39.500Z",
                                                       "time" : 1200.5,
                                                       "timings" : {
                                                           "blocked" : 0.8,
                                                           "dns" : -1,
                                                           "ssl" : -1,
                                                           "connect" : -1,
                                                           "send" : 0,
                                                           "wait" : 1199.7,
                                                           "receive" : 0,
                                                           "_blocked_queueing" : -1
                                                       },
                                                                   "_webSocketMessages"
    : [
        {
            "type" : "send",
            "time" : 1764370000.5123,
            "opcode" : 1,
            "data" : "{\"op\":\"subscribe\"}"
        },
        {"type" : "receive", "time" : 1764370000.520456, "opcode" : 1, "data" : "ok ✓"},
        {"type" : "receive", "time" : 1764370001, "opcode" : 2, "data" : "AQL/"}
    ]
}
    ]
    }
    })har";
    const RecordingRead read = parseRecording(har);
    CHECK(read.format == RecordingFormat::kHar);
    CHECK(read.problems.empty());
    REQUIRE(read.events.size() == 4);
    REQUIRE(read.events[0].kind == RecordedKind::kOpen);
    CHECK(read.events[0].connection == 1);
    CHECK(micros(read.events[0].wallTime) == int64_t{1764369999500000});
    const RecordedConnection& request = *read.events[0].opened;
    CHECK(request.url == "ws://localhost:8000/socket?token=abc");
    // What a replay can send again: the headers libwebsockets owns are left out.
    std::vector<std::string> names;
    for (const Header& header : request.headers) names.push_back(header.name);
    CHECK(names == std::vector<std::string>{"Pragma", "Cache-Control", "User-Agent", "Origin",
                                            "Accept-Encoding", "Accept-Language"});
    CHECK(request.subprotocols == std::vector<std::string>{"chat", "superchat"});
    CHECK(request.protocol == "chat");
    CHECK(request.extensions == "permessage-deflate");
    CHECK(read.events[1].direction == RecordedDirection::kSend);
    CHECK(read.events[1].message->data == R"({"op":"subscribe"})");
    CHECK(micros(read.events[1].wallTime) == int64_t{1764370000512300});
    CHECK(read.events[2].message->data == "ok ✓");
    CHECK(micros(read.events[2].wallTime) == int64_t{1764370000520456});
    CHECK(read.events[3].message->type == Message::Type::kBinary);
    CHECK(read.events[3].message->data == std::string("\x01\x02\xff"));
    CHECK(read.events[3].connection == 1);
}

TEST_CASE("A HAR without WebSocket frames says so", "[recording]") {
    SECTION("Firefox saves the upgrade but not the frames") {
        const RecordingRead read = parseRecording(R"({"log": {"version": "1.2", "entries": [
            {"startedDateTime": "2025-11-28T23:46:39.500+01:00",
             "request": {"method": "GET", "url": "ws://localhost:8000/socket", "headers": []},
             "response": {"status": 101, "headers": []}}]}})");
        CHECK(read.format == RecordingFormat::kHar);
        REQUIRE(read.problems.size() == 1);
        CHECK(read.problems[0] ==
              "no WebSocket messages: the WebSocket connections were saved without their frames "
              "(_webSocketMessages), as Firefox does");
        REQUIRE(read.events.size() == 1);  // The connection is known, with its time zone.
        CHECK(micros(read.events[0].wallTime) == int64_t{1764369999500000});
    }
    SECTION("no WebSocket entry at all") {
        const auto problems = problemsOf(R"({"log": {"entries": [
            {"request": {"url": "http://x/"}, "response": {"status": 200}}]}})");
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].rfind("no WebSocket messages: none of the 1 entries", 0) == 0);
    }
}

TEST_CASE("Each problem of a JSON Lines file is named, and what is good is kept", "[recording]") {
    const std::string good =
        R"({"t":1764370000000000,"conn":1,"event":"message","dir":"send","opcode":1,"text":"ok"})";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json", "line 2: not JSON (column 2)"},
        {R"({"t":"x","conn":1,"event":"message","dir":"send","opcode":1,"text":"a"})",
         R"(line 2: "t" must be microseconds since 1970, before the year 2200, not 'x')"},
        {R"({"t":-1,"conn":1,"event":"message","dir":"send","opcode":1,"text":"a"})",
         R"(line 2: "t" must be microseconds since 1970, before the year 2200, not -1)"},
        {R"({"t":7258118400000001,"conn":1,"event":"message","dir":"send","opcode":1,"text":"a"})",
         R"(line 2: "t" must be microseconds since 1970, before the year 2200, not 7258118400000001)"},
        {R"({"t":1,"conn":0,"event":"open","url":"ws://h/"})",
         R"(line 2: "conn" must be a number from 1, not 0)"},
        {R"({"t":1,"conn":1,"event":"message","opcode":1,"text":"a"})",
         R"(line 2: "dir" is missing)"},
        {R"({"t":1,"conn":1,"event":"hello"})",
         R"(line 2: "event" must be open, message, ping, pong or close, not 'hello')"},
        {R"({"t":1,"conn":1,"event":"message","dir":"send","opcode":2,"base64":"AQL"})",
         R"(line 2: "base64" is not base64)"},
        {R"({"t":1,"conn":1,"event":"message","dir":"send","opcode":5,"text":"a"})",
         R"(line 2: "opcode" must be 1 or 2, not 5)"},
        {R"({"t":1,"conn":1,"event":"message","dir":"send","opcode":1,"text":7})",
         R"(line 2: "text" must be a string, not 7)"},
        {"{\"t\":1,\"conn\":1,\"event\":\"message\",\"dir\":\"send\",\"opcode\":1,\"text\":"
         "\"\xff\"}",
         "line 2: not UTF-8 at column 67 (JSON, and a text message, must be UTF-8)"},
        {R"({"t":1,"conn":1,"event":"open","url":"ws://h/","headers":[["a"]]})",
         R"(line 2: "headers" must hold [name, value] pairs of strings, not an array)"},
        {R"({"t":1,"conn":1,"event":"close","code":70000,"by":"client"})",
         R"(line 2: "code" must be a close code from 0 to 65535, not 70000)"},
        {"[1, 2]", "line 2: must be a JSON object, not an array"},
        {std::string(1000, '[') + std::string(1000, ']'), "line 2: nested deeper than 128 levels"},
    };
    for (const auto& [bad, problem] : cases) {
        INFO(bad);
        const RecordingRead read = parseRecording(jsonLinesHeader() + "\n" + bad + "\n" + good);
        REQUIRE(read.problems.size() == 1);
        CHECK(read.problems[0] == problem);
        REQUIRE(read.events.size() == 1);
        CHECK(read.events[0].message->data == "ok");
    }
    SECTION("a last line cut off") {
        const auto problems =
            problemsOf(jsonLinesHeader() + "\n" + good + "\n" + good.substr(0, 30));
        CHECK(problems ==
              std::vector<std::string>{"line 3: cut off: the file ends in the middle of it"});
    }
    SECTION("an empty file") {
        CHECK(problemsOf("") == std::vector<std::string>{"the file is empty"});
        CHECK(problemsOf(" \n\n") == std::vector<std::string>{"the file is empty"});
    }
    SECTION("no header line, or another format") {
        CHECK(
            problemsOf(good) ==
            std::vector<std::string>{
                R"(line 1: the header line {"format":"wsdemo-recording","version":1} is missing)"});
        CHECK(problemsOf(R"({"format":"wsdemo-recording","version":2})") ==
              std::vector<std::string>{
                  R"(line 1: "version" 2 is not known (this wsdemo reads version 1))"});
        CHECK(problemsOf(R"({"format":"other"})") ==
              std::vector<std::string>{R"(line 1: not a wsdemo recording ("format" is 'other'))"});
    }
    SECTION("at most 20 problems, then how many more") {
        std::string file = jsonLinesHeader() + "\n";
        for (int i = 0; i < 25; ++i) file += "x\n" + good + "\n";
        const RecordingRead read = parseRecording(file);
        REQUIRE(read.problems.size() == RecordingRead::kMaxProblems + 1);
        CHECK(read.problems[19] == "line 40: not JSON (column 1)");
        CHECK(read.problems[20] == "... and 5 more problems");
        CHECK(read.events.size() == 25);
    }
    SECTION("limits cut it short, and say so") {
        std::string file = jsonLinesHeader() + "\n";
        for (int i = 0; i < 5; ++i) file += good + "\n";
        const RecordingRead byCount = parseRecording(file, RecordingLimits{3, 1000});
        CHECK(byCount.cutShort);
        CHECK(byCount.events.size() == 3);
        CHECK(byCount.problems ==
              std::vector<std::string>{"the recording stopped at its limit of 3 events: later "
                                       "events were left out"});
        const RecordingRead byBytes = parseRecording(file, RecordingLimits{100, 5});
        CHECK(byBytes.cutShort);
        CHECK(byBytes.events.size() == 2);
        CHECK(byBytes.problems ==
              std::vector<std::string>{"the recording stopped at its limit of 5 bytes of message "
                                       "data: later events were left out"});
    }
}

TEST_CASE("Each problem of a HAR file is named with its JSON path", "[recording]") {
    const auto har = [](const std::string& message) {
        return R"({"log": {"entries": [{"request": {"url": "http://x/"}}, {"_resourceType": "websocket",
          "startedDateTime": "2025-11-28T22:46:40.123Z", "request": {"url": "ws://h/"},
          "_webSocketMessages": [{"type": "send", "time": 1764370000.1, "opcode": 1, "data": "ok"},)" +
               message + "]}]}}";
    };
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"type": "send", "time": 1, "opcode": 2, "data": "!!"})",
         "entries[1]._webSocketMessages[1].data: is not base64"},
        {R"({"type": "send", "time": 1, "opcode": 9, "data": ""})",
         "entries[1]._webSocketMessages[1].opcode: must be 1 or 2, not 9"},
        {R"({"type": "sideways", "time": 1, "opcode": 1, "data": ""})",
         "entries[1]._webSocketMessages[1].type: must be \"send\" or \"receive\", not "
         "'sideways'"},
        {R"({"type": "send", "time": -5, "opcode": 1, "data": ""})",
         "entries[1]._webSocketMessages[1].time: must be seconds since 1970, before the year "
         "2200, not -5"},
        {R"({"type": "send", "time": 99999999999, "opcode": 1, "data": ""})",
         "entries[1]._webSocketMessages[1].time: must be seconds since 1970, before the year "
         "2200, not 99999999999"},
        {R"({"type": "send", "time": 1, "opcode": 1})",
         "entries[1]._webSocketMessages[1].data: is missing"},
        {R"({"type": "send", "time": "now", "opcode": 1, "data": ""})",
         "entries[1]._webSocketMessages[1].time: must be a number, not 'now'"},
        {"7", "entries[1]._webSocketMessages[1]: must be an object, not 7"},
    };
    for (const auto& [bad, problem] : cases) {
        INFO(bad);
        const RecordingRead read = parseRecording(har(bad));
        CHECK(read.format == RecordingFormat::kHar);
        REQUIRE(read.problems.size() == 1);
        CHECK(read.problems[0] == problem);
        REQUIRE(read.events.size() == 2);  // The open and the good message.
        CHECK(read.events[1].message->data == "ok");
    }
    SECTION("a bad date, and a request without URL") {
        const auto problems = problemsOf(R"({"log": {"entries": [{"_resourceType": "websocket",
            "startedDateTime": "yesterday", "request": {}, "_webSocketMessages": []}]}})");
        CHECK(problems == std::vector<std::string>{
                              "entries[0].request.url: is missing",
                              "entries[0].startedDateTime: must be an ISO 8601 date from 1970 "
                              "to 2200, not 'yesterday'",
                              "no WebSocket messages: the WebSocket connections were saved "
                              "without their frames (_webSocketMessages), as Firefox does"});
    }
    SECTION("no entries") {
        CHECK(problemsOf(R"({"log": {}})") ==
              std::vector<std::string>{"log.entries: must be an array of entries"});
    }
    SECTION("a HAR cut off keeps what came before the cut") {
        const std::string whole = har(R"({"type": "send", "time": 1, "opcode": 1, "data": "xy"})");
        const RecordingRead read = parseRecording(whole.substr(0, whole.rfind("xy") + 1));
        CHECK(read.format == RecordingFormat::kHar);
        CHECK(read.problems == std::vector<std::string>{
                                   "the HAR file is cut off in entries[1]._webSocketMessages[1]: "
                                   "what came before it is read, the rest is missing",
                                   "entries[1]._webSocketMessages[1].data: is missing"});
        REQUIRE(read.events.size() == 2);  // The open and the whole message.
        CHECK(read.events[1].message->data == "ok");
    }
    SECTION("a HAR cut before its log says so") {
        // Found by fuzz_recording: the partial document had no "log" to look up.
        CHECK(problemsOf(R"({"log": )") ==
              std::vector<std::string>{
                  "the HAR file is cut off: what came before it is read, the rest is missing",
                  "log.entries: must be an array of entries"});
    }
    SECTION("deep nesting is refused without a crash") {
        const std::string deep =
            R"({"log": {"entries": [)" + std::string(1000, '[') + std::string(1000, ']') + "]}}";
        CHECK(problemsOf(deep) ==
              std::vector<std::string>{"the HAR file is nested deeper than 128 levels"});
        const std::string spread = "{\n\"log\": " + std::string(100000, '{');
        CHECK(problemsOf(spread) ==
              std::vector<std::string>{"the HAR file is nested deeper than 128 levels"});
    }
}

TEST_CASE("A HAR cut off anywhere keeps every message before the cut, each one whole",
          "[recording]") {
    const std::string har = toHar(everyKindOfEvent(), "1.2.3");
    const RecordingRead whole = parseRecording(har);
    REQUIRE(whole.problems.empty());
    const auto messagesOf = [](const RecordingRead& read) {
        std::vector<RecordedEvent> messages;
        for (const RecordedEvent& event : read.events)
            if (event.kind == RecordedKind::kMessage) messages.push_back(event);
        return messages;
    };
    const auto all = messagesOf(whole);
    std::size_t keptBefore = 0;
    // Every cut from the first entry to the document's last brace.
    for (std::size_t cut = har.find("\"entries\""); cut < har.rfind('}'); ++cut) {
        INFO("cut after byte " << cut);
        const RecordingRead read = parseRecording(std::string_view(har).substr(0, cut));
        REQUIRE(read.format == RecordingFormat::kHar);
        REQUIRE_FALSE(read.problems.empty());
        REQUIRE_THAT(read.problems[0], Catch::StartsWith("the HAR file is cut off"));
        const auto kept = messagesOf(read);
        REQUIRE(kept.size() >= keptBefore);
        REQUIRE(kept.size() <= all.size());
        for (std::size_t i = 0; i < kept.size(); ++i) {
            REQUIRE(kept[i].connection == all[i].connection);
            REQUIRE(kept[i].direction == all[i].direction);
            REQUIRE(kept[i].wallTime == all[i].wallTime);
            REQUIRE(kept[i].message->type == all[i].message->type);
            REQUIRE(kept[i].message->data == all[i].message->data);
        }
        keptBefore = kept.size();
    }
    CHECK(keptBefore == all.size());
}

TEST_CASE("Recording files are read only when they can be", "[recording]") {
    TemporaryDirectory directory;
    const auto refusal = [](const std::string& path) {
        auto result = readRecordingFile(path);
        REQUIRE(std::holds_alternative<std::string>(result));
        return std::get<std::string>(result);
    };
    SECTION("a missing file") {
        CHECK(refusal(directory / "missing.jsonl") ==
              "cannot open " + (directory / "missing.jsonl") + ": No such file or directory");
    }
    SECTION("a directory") {
        CHECK(refusal(directory.path()) ==
              "cannot open " + directory.path() + ": not a regular file");
    }
    SECTION("a FIFO, which would block") {
        const std::string fifo = directory / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        CHECK(refusal(fifo) == "cannot open " + fifo + ": not a regular file");
    }
    SECTION("a file over the limit, refused by its size without reading it") {
        const std::string big = directory / "big.jsonl";
        { std::ofstream create(big); }
        REQUIRE(::truncate(big.c_str(), 1000000000) == 0);  // Sparse: no disk used.
        CHECK(refusal(big) == "cannot open " + big +
                                  ": it is 1.0 GB; a recording of at most 512 MiB can be opened");
    }
    SECTION("a good file") {
        const std::string path = directory / "good.jsonl";
        std::ofstream(path) << jsonLines(everyKindOfEvent());
        auto result = readRecordingFile(path);
        REQUIRE(std::holds_alternative<RecordingRead>(result));
        checkSameEvents(std::get<RecordingRead>(result).events, everyKindOfEvent());
    }
}

TEST_CASE("Recordings are written whole, or the reason is given", "[recording]") {
    TemporaryDirectory directory;
    const auto events = everyKindOfEvent();
    SECTION("both formats, read back") {
        for (const char* name : {"session.jsonl", "session.har"}) {
            const std::string path = directory / name;
            REQUIRE(writeRecording(path, events, "1.0") == "");
            auto result = readRecordingFile(path);
            REQUIRE(std::holds_alternative<RecordingRead>(result));
            const RecordingRead& read = std::get<RecordingRead>(result);
            CHECK(read.problems.empty());
            CHECK(read.format == formatForPath(path));
        }
        // Nothing left behind but the two files.
        CHECK(std::distance(fs::directory_iterator(directory.path()), fs::directory_iterator()) ==
              2);
    }
    SECTION("a folder that does not exist") {
        const std::string path = directory / "missing/session.jsonl";
        CHECK(writeRecording(path, events, "1.0") ==
              "cannot write " + path + ": No such file or directory");
    }
    SECTION("a FIFO or a symlink where the temporary file goes is refused, never opened") {
        const std::string path = directory / "session.jsonl";
        const std::string temporary = path + ".tmp";
        SECTION("a FIFO, which would block the save until someone read it") {
            REQUIRE(::mkfifo(temporary.c_str(), 0600) == 0);
        }
        SECTION("a symlink, which would send the recording elsewhere") {
            fs::create_symlink(directory / "elsewhere", temporary);
        }
        auto saving =
            std::async(std::launch::async, [&] { return writeRecording(path, events, "1.0"); });
        if (saving.wait_for(10s) != std::future_status::ready) {
            // Open the FIFO's other end so that the blocked save ends, then fail.
            const int reader = ::open(temporary.c_str(), O_RDONLY | O_NONBLOCK);
            saving.wait();
            ::close(reader);
            FAIL("the save blocked on " << temporary);
        }
        CHECK(saving.get() == "cannot write " + path + ": " + temporary + " is in the way");
        CHECK_FALSE(fs::exists(directory / "elsewhere"));
        CHECK_FALSE(fs::exists(path));
    }
    SECTION("a folder that cannot be written") {
        if (::geteuid() == 0) return;  // Root writes anywhere; the folder case above still runs.
        ::chmod(directory.path().c_str(), 0500);
        const std::string path = directory / "session.har";
        CHECK(writeRecording(path, events, "1.0") ==
              "cannot write " + path + ": Permission denied");
    }
}

TEST_CASE("JSON Lines are appended as they come, up to the limits", "[recording]") {
    TemporaryDirectory directory;
    const std::string path = directory / "live.jsonl";
    const auto events = everyKindOfEvent();
    JsonLinesWriter writer(RecordingLimits{4, 1u << 20});
    REQUIRE(writer.open(path) == "");
    for (std::size_t i = 0; i < 4; ++i) CHECK(writer.append(events[i]) == "");
    // Every line is on disk already, before the writer goes.
    auto partial = readRecordingFile(path);
    REQUIRE(std::holds_alternative<RecordingRead>(partial));
    checkSameEvents(std::get<RecordingRead>(partial).events, {events.begin(), events.begin() + 4});

    CHECK(writer.append(events[4]) ==
          "the recording stopped at its limit of 4 events: later events were left out");
    CHECK(writer.cutShort());
    CHECK(writer.append(events[5]) == "");  // Said once.
    SECTION("a file that cannot be created") {
        JsonLinesWriter other;
        const std::string bad = directory / "missing/live.jsonl";
        CHECK(other.open(bad) == "cannot write " + bad + ": No such file or directory");
    }
}
