// Recordings read: JSON Lines and HAR, every problem named by line or JSON path, what is good
// kept.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "json_document.h"
#include "recording_format.h"
#include "wsdemo/channel.h"  // whyUnreadable
#include "wsdemo/recording.h"
#include "wsdemo/text.h"

namespace wsdemo {

using namespace recording_format;

namespace {

std::size_t firstBadUtf8Byte(std::string_view text) {
    Utf8Validator validator;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!validator.feed(text.substr(i, 1))) return i;
    return text.size();
}

bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// "line 3, column 7" of a byte offset in a document, or "column 7" in a single line.
std::string positionText(std::string_view text, std::size_t offset, bool multiline) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const auto lineStart = before.rfind('\n');
    const std::size_t column = offset - (lineStart == std::string_view::npos ? 0 : lineStart + 1);
    std::string where = "column " + std::to_string(column + 1);
    if (multiline)
        where = "line " + std::to_string(1 + std::count(before.begin(), before.end(), '\n')) +
                ", " + where;
    return where;
}

struct ParsedJson {
    std::optional<Json> value;
    std::string error;  // Why not, when there is no value.
    // When the text ended in the middle of it: what came before the cut, and where it was.
    std::optional<Json> beforeCut;
    std::string cutAt;
};

ParsedJson notRead(std::string error) {
    ParsedJson parsed;
    parsed.error = std::move(error);
    return parsed;
}

// `text` as JSON, or why not. `fileEndsHere`: nothing follows it, so a value cut off at its
// end is a truncated file.
ParsedJson parseJson(std::string_view text, bool multiline, bool fileEndsHere) {
    Utf8Validator utf8;
    const bool validSoFar = utf8.feed(text);
    if (validSoFar && !utf8.complete() && fileEndsHere) {
        // Cut in the middle of a character: it goes too (its first byte is within the last
        // text.size() - 1, so utf8Prefix backs up to it).
        text = utf8Prefix(text, text.size() - 1);
    } else if (!validSoFar || !utf8.complete()) {
        return notRead("not UTF-8 at " + positionText(text, firstBadUtf8Byte(text), multiline) +
                       " (JSON, and a text message, must be UTF-8)");
    }
    if (jsonNestsDeeperThan(text, kMaxNesting))
        return notRead("nested deeper than " + std::to_string(kMaxNesting) + " levels");
    JsonDocument document = readJsonDocument(text);
    if (document.whole) return {std::move(document.whole), {}, std::nullopt, {}};
    if (!document.cutOff)
        return notRead(
            "not JSON (" +
            positionText(text, std::max<std::size_t>(document.errorAt, 1) - 1, multiline) + ")");
    if (!fileEndsHere) return notRead("not JSON: it ends in the middle of a value");
    ParsedJson parsed = notRead("cut off: the file ends in the middle of it");
    parsed.beforeCut = std::move(document.beforeCut);
    parsed.cutAt = std::move(document.cutAt);
    return parsed;
}

std::string shown(const Json& value) {
    if (value.is_string()) return wsdemo::printableQuote(value.get_ref<const std::string&>());
    if (value.is_number() || value.is_boolean() || value.is_null()) return value.dump();
    return std::string("an ") + value.type_name();
}

class Reader {
public:
    Reader(RecordingRead& read, RecordingLimits limits) : read_(read), limits_(limits) {}

    void problem(std::string text) {
        if (read_.problems.size() < RecordingRead::kMaxProblems) {
            read_.problems.push_back(std::move(text));
        } else {
            ++unsaid_;
        }
    }
    // Keeps an event, or says once that the limits were reached. False from then on.
    bool keep(RecordedEvent event) {
        if (read_.cutShort) return false;
        if (overLimits(limits_, read_.events.size(), bytes_, event)) {
            read_.cutShort = true;
            problem(stoppedText(limits_, read_.events.size()));
            return false;
        }
        bytes_ += dataBytes(event);
        read_.events.push_back(std::move(event));
        return true;
    }
    bool stopped() const { return read_.cutShort; }
    void finish() {
        if (unsaid_)
            read_.problems.push_back("... and " + std::to_string(unsaid_) + " more problems");
    }

private:
    RecordingRead& read_;
    RecordingLimits limits_;
    std::size_t bytes_ = 0, unsaid_ = 0;
};

// The fields of one JSON object, each problem named: `line 7: "opcode" must be 1 or 2, not 5`
// in JSON Lines, `entries[0]._webSocketMessages[3].opcode: must be ...` in HAR.
class Fields {
public:
    Fields(const Json& object, std::string place, bool jsonLines, Reader& reader)
        : object_(object), place_(std::move(place)), jsonLines_(jsonLines), reader_(reader) {}

    bool ok() const { return ok_; }
    std::string path(std::string_view key) const { return place_ + "." + std::string(key); }

    void problem(std::string_view key, const std::string& body) {
        ok_ = false;
        reader_.problem(jsonLines_ ? place_ + ": \"" + std::string(key) + "\" " + body
                                   : path(key) + ": " + body);
    }
    const Json* find(std::string_view key) const {
        const auto found = object_.find(key);
        return found == object_.end() ? nullptr : &*found;
    }
    const Json* require(std::string_view key) {
        const Json* value = find(key);
        if (!value) problem(key, "is missing");
        return value;
    }
    const Json* typed(std::string_view key, bool required, bool (Json::*is)() const noexcept,
                      const char* what) {
        const Json* value = required ? require(key) : find(key);
        if (value && !(value->*is)()) {
            problem(key, std::string("must be ") + what + ", not " + shown(*value));
            return nullptr;
        }
        return value;
    }
    std::optional<std::string> string(std::string_view key, bool required = true) {
        const Json* value = typed(key, required, &Json::is_string, "a string");
        if (!value) return std::nullopt;
        return value->get<std::string>();
    }
    std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max,
                                   const std::string& what) {
        const Json* value = typed(key, true, &Json::is_number, what.c_str());
        if (!value) return std::nullopt;
        // Non-negative integers are unsigned in nlohmann, and may exceed int64_t.
        const bool inRange = value->is_number_unsigned()
                                 ? value->get<uint64_t>() <= static_cast<uint64_t>(max) &&
                                       static_cast<int64_t>(value->get<uint64_t>()) >= min
                                 : value->is_number_integer() && value->get<int64_t>() >= min &&
                                       value->get<int64_t>() <= max;
        if (!inRange) {
            problem(key, "must be " + what + ", not " + shown(*value));
            return std::nullopt;
        }
        return value->get<int64_t>();
    }
    // One of `names`, as its index.
    std::optional<std::size_t> oneOf(std::string_view key, std::initializer_list<const char*> names,
                                     const std::string& what) {
        const auto text = string(key);
        if (!text) return std::nullopt;
        const auto found = std::find(names.begin(), names.end(), *text);
        if (found == names.end()) {
            problem(key, "must be " + what + ", not " + wsdemo::printableQuote(*text));
            return std::nullopt;
        }
        return static_cast<std::size_t>(found - names.begin());
    }
    std::optional<std::string> base64(std::string_view key) {
        const auto text = string(key);
        if (!text) return std::nullopt;
        auto bytes = fromBase64(*text);
        if (!bytes) problem(key, "is not base64");
        return bytes;
    }

private:
    const Json& object_;
    std::string place_;
    bool jsonLines_;
    Reader& reader_;
    bool ok_ = true;
};

std::optional<RecordedDirection> direction(Fields& fields, const char* key) {
    const auto index = fields.oneOf(key, {"send", "receive"}, "\"send\" or \"receive\"");
    if (!index) return std::nullopt;
    return *index == 0 ? RecordedDirection::kSend : RecordedDirection::kReceive;
}

MessagePtr makeMessage(Message::Type type, std::string data) {
    auto message = std::make_shared<Message>();
    message->type = type;
    message->data = std::move(data);
    return message;
}

// A message's opcode and data: "text" for opcode 1, base64 for 2.
MessagePtr messageFields(Fields& fields, const char* opcodeKey, const char* textKey,
                         const char* base64Key) {
    const auto opcode = fields.integer(opcodeKey, 1, 2, "1 or 2");
    if (!opcode) return nullptr;
    if (*opcode == 1) {
        auto text = fields.string(textKey);
        return text ? makeMessage(Message::Type::kText, std::move(*text)) : nullptr;
    }
    auto bytes = fields.base64(base64Key);
    return bytes ? makeMessage(Message::Type::kBinary, std::move(*bytes)) : nullptr;
}

std::optional<std::vector<std::string>> stringList(Fields& fields, const char* key) {
    const Json* list = fields.typed(key, false, &Json::is_array, "an array of strings");
    std::vector<std::string> items;
    if (!list) return items;
    for (const Json& item : *list) {
        if (!item.is_string()) {
            fields.problem(key, "must hold strings only, not " + shown(item));
            return std::nullopt;
        }
        items.push_back(item.get<std::string>());
    }
    return items;
}

void readOpen(Fields& fields, RecordedEvent& event) {
    auto opened = std::make_shared<RecordedConnection>();
    if (auto url = fields.string("url")) opened->url = std::move(*url);
    if (const Json* headers = fields.typed("headers", false, &Json::is_array, "an array")) {
        for (const Json& pair : *headers) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() ||
                !pair[1].is_string()) {
                fields.problem("headers",
                               "must hold [name, value] pairs of strings, not " + shown(pair));
                break;
            }
            opened->headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
        }
    }
    if (auto subprotocols = stringList(fields, "subprotocols"))
        opened->subprotocols = std::move(*subprotocols);
    opened->protocol = fields.string("protocol", false).value_or("");
    opened->extensions = fields.string("extensions", false).value_or("");
    event.opened = std::move(opened);
}

void readClose(Fields& fields, RecordedEvent& event) {
    if (const auto code = fields.integer("code", 0, 65535, "a close code from 0 to 65535"))
        event.closeCode = static_cast<uint16_t>(*code);
    if (fields.find("reason_base64")) {
        event.payload = fields.base64("reason_base64").value_or("");
    } else {
        event.payload = fields.string("reason", false).value_or("");
    }
    const auto by = fields.oneOf("by", {"client", "server"}, "\"client\" or \"server\"");
    if (by) event.direction = *by == 0 ? RecordedDirection::kSend : RecordedDirection::kReceive;
}

void readJsonLinesEvent(const Json& line, const std::string& place, Reader& reader) {
    Fields fields(line, place, true, reader);
    RecordedEvent event;
    if (const auto t =
            fields.integer("t", 0, kMaxMicros, "microseconds since 1970, before the year 2200"))
        event.wallTime = fromMicros(*t);
    if (const auto connection = fields.integer("conn", 1, INT64_MAX, "a number from 1"))
        event.connection = static_cast<uint64_t>(*connection);
    const auto kind = fields.oneOf("event", {"open", "message", "ping", "pong", "close"},
                                   "open, message, ping, pong or close");
    if (!kind) return;
    event.kind = static_cast<RecordedKind>(*kind);
    switch (event.kind) {
        case RecordedKind::kOpen:
            readOpen(fields, event);
            break;
        case RecordedKind::kMessage:
            event.direction = direction(fields, "dir").value_or(RecordedDirection::kReceive);
            event.message = messageFields(fields, "opcode", "text", "base64");
            if (const Json* timed = fields.typed("timed", false, &Json::is_boolean, "a boolean"))
                event.timed = timed->get<bool>();
            break;
        case RecordedKind::kPing:
        case RecordedKind::kPong:
            event.direction = direction(fields, "dir").value_or(RecordedDirection::kReceive);
            event.payload = fields.base64("base64").value_or("");
            break;
        case RecordedKind::kClose:
            readClose(fields, event);
            break;
    }
    if (fields.ok()) reader.keep(std::move(event));
}

// The first line: {"format":"wsdemo-recording","version":1}. False when it is an event.
bool readHeaderLine(const Json& line, const std::string& place, Reader& reader) {
    const auto format = line.find("format");
    if (format == line.end()) {
        reader.problem(place + ": the header line " + kHeaderLine + " is missing");
        return false;
    }
    if (*format != "wsdemo-recording") {
        reader.problem(place + ": not a wsdemo recording (\"format\" is " + shown(*format) + ")");
    } else if (line.value("version", Json()) != 1) {
        reader.problem(place + ": \"version\" " + shown(line.value("version", Json())) +
                       " is not known (this wsdemo reads version 1)");
    }
    return true;
}

void readJsonLines(std::string_view bytes, Reader& reader) {
    std::size_t lineNumber = 0;
    bool first = true;
    while (!bytes.empty() && !reader.stopped()) {
        const auto end = bytes.find('\n');
        std::string_view line = bytes.substr(0, end);
        bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (isBlank(line)) continue;
        const bool isFirst = std::exchange(first, false);
        const std::string place = "line " + std::to_string(lineNumber);
        ParsedJson parsed = parseJson(line, false, end == std::string_view::npos);
        if (!parsed.value) {
            reader.problem(place + ": " + parsed.error);
        } else if (!parsed.value->is_object()) {
            reader.problem(place + ": must be a JSON object, not " + shown(*parsed.value));
        } else if (!isFirst || !readHeaderLine(*parsed.value, place, reader)) {
            readJsonLinesEvent(*parsed.value, place, reader);
        }
    }
}

// "2025-11-28T22:46:40.123Z" or with an offset ("+01:00"), as HAR's startedDateTime.
std::optional<int64_t> parseIsoDate(std::string_view text) {
    std::size_t at = 0;
    const auto digits = [&](std::size_t count) -> std::optional<int64_t> {
        if (text.size() - at < count) return std::nullopt;
        int64_t value = 0;
        for (std::size_t end = at + count; at < end; ++at) {
            if (text[at] < '0' || text[at] > '9') return std::nullopt;
            value = value * 10 + (text[at] - '0');
        }
        return value;
    };
    const auto expect = [&](char c) { return at < text.size() && text[at++] == c; };
    const auto year = digits(4);
    const bool dateOk = year && expect('-');
    const auto month = dateOk ? digits(2) : std::nullopt;
    const auto day = month && expect('-') ? digits(2) : std::nullopt;
    const auto hour = day && expect('T') ? digits(2) : std::nullopt;
    const auto minute = hour && expect(':') ? digits(2) : std::nullopt;
    const auto second = minute && expect(':') ? digits(2) : std::nullopt;
    if (!second || *month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 ||
        *minute > 59 || *second > 60)
        return std::nullopt;
    int64_t micros = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int64_t scale = 100000;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
            micros += (text[at] - '0') * scale;
    }
    int64_t offsetMinutes = 0;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int64_t sign = text[at++] == '-' ? -1 : 1;
        const auto offsetHours = digits(2);
        const auto minutes = offsetHours && expect(':') ? digits(2) : std::nullopt;
        if (!minutes) return std::nullopt;
        offsetMinutes = sign * (*offsetHours * 60 + *minutes);
    } else if (!expect('Z')) {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    const int64_t y = *year - (*month <= 2);
    const int64_t era = y / 400;
    const int64_t yearOfEra = y - era * 400;
    const int64_t dayOfYear = (153 * (*month + (*month > 2 ? -3 : 9)) + 2) / 5 + *day - 1;
    const int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    const int64_t days = era * 146097 + dayOfEra - 719468;
    const int64_t seconds =
        days * 86400 + *hour * 3600 + *minute * 60 + *second - offsetMinutes * 60;
    return seconds * 1000000 + micros;
}

struct HarHeaders {
    std::vector<Header> replayable;  // What a replay may send again (Origin included).
    std::string subprotocols, protocol, extensions;
};

void readHarHeaders(const Json& message, const std::string& place, bool isRequest, Reader& reader,
                    HarHeaders& into) {
    const auto headers = message.find("headers");
    if (headers == message.end()) return;
    if (!headers->is_array()) {
        reader.problem(place + ".headers: must be an array, not " + shown(*headers));
        return;
    }
    for (std::size_t i = 0; i < headers->size(); ++i) {
        const Json& header = (*headers)[i];
        if (!header.is_object() || !header.value("name", Json()).is_string() ||
            !header.value("value", Json()).is_string()) {
            reader.problem(place + ".headers[" + std::to_string(i) +
                           "]: must be an object with a string name and value");
            continue;
        }
        const std::string name = header["name"], value = header["value"];
        if (equalsIgnoringCase(name, "Sec-WebSocket-Protocol")) {
            (isRequest ? into.subprotocols : into.protocol) = value;
        } else if (equalsIgnoringCase(name, "Sec-WebSocket-Extensions")) {
            if (!isRequest) into.extensions = value;
        } else if (equalsIgnoringCase(name, "Origin") ||
                   std::holds_alternative<Header>(parseHeader(name + ": " + value))) {
            into.replayable.push_back({name, value});
        }
    }
}

std::vector<std::string> splitList(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        std::string_view item = text.substr(0, text.find(','));
        text.remove_prefix(std::min(text.size(), item.size() + 1));
        const auto start = item.find_first_not_of(' ');
        if (start == std::string_view::npos) continue;
        item = item.substr(start, item.find_last_not_of(' ') - start + 1);
        items.emplace_back(item);
    }
    return items;
}

// Chrome and Playwright mark them; Firefox saves only the upgrade, answered with 101.
bool isWebSocketEntry(const Json& entry) {
    const auto response = entry.find("response");
    const bool upgraded = response != entry.end() && response->is_object() &&
                          response->value("status", Json()) == 101;
    return upgraded || entry.contains("_webSocketMessages") ||
           entry.value("_resourceType", Json()) == "websocket";
}

// The messages of one entry, each problem named. Bounded by the file's size.
std::vector<RecordedEvent> readHarMessages(Fields& fields, uint64_t connection, Reader& reader) {
    std::vector<RecordedEvent> events;
    const Json* messages = fields.typed("_webSocketMessages", false, &Json::is_array, "an array");
    for (std::size_t i = 0; messages && i < messages->size(); ++i) {
        const std::string at = fields.path("_webSocketMessages") + "[" + std::to_string(i) + "]";
        if (!(*messages)[i].is_object()) {
            reader.problem(at + ": must be an object, not " + shown((*messages)[i]));
            continue;
        }
        Fields message((*messages)[i], at, false, reader);
        RecordedEvent event;
        event.connection = connection;
        event.direction = direction(message, "type").value_or(RecordedDirection::kReceive);
        constexpr double kMaxSeconds = static_cast<double>(kMaxMicros / 1000000);
        if (const Json* time = message.typed("time", true, &Json::is_number, "a number")) {
            const double seconds = time->get<double>();
            if (seconds >= 0 && seconds <= kMaxSeconds) {
                event.wallTime = fromMicros(std::llround(seconds * 1e6));
            } else {
                message.problem("time", "must be seconds since 1970, before the year 2200, not " +
                                            shown(*time));
            }
        }
        event.message = messageFields(message, "opcode", "data", "data");
        if (message.ok()) events.push_back(std::move(event));
    }
    return events;
}

// One WebSocket entry: its open event, then its messages. The number of messages read.
std::size_t readHarEntry(const Json& entry, const std::string& place, uint64_t connection,
                         Reader& reader) {
    Fields fields(entry, place, false, reader);
    auto opened = std::make_shared<RecordedConnection>();
    HarHeaders headers;
    if (const Json* request = fields.typed("request", true, &Json::is_object, "an object")) {
        Fields requestFields(*request, fields.path("request"), false, reader);
        opened->url = requestFields.string("url").value_or("");
        readHarHeaders(*request, fields.path("request"), true, reader, headers);
    }
    if (const Json* response = fields.typed("response", false, &Json::is_object, "an object"))
        readHarHeaders(*response, fields.path("response"), false, reader, headers);
    opened->headers = std::move(headers.replayable);
    opened->subprotocols = splitList(headers.subprotocols);
    opened->protocol = std::move(headers.protocol);
    opened->extensions = std::move(headers.extensions);

    std::vector<RecordedEvent> events = readHarMessages(fields, connection, reader);
    RecordedEvent open;
    open.connection = connection;
    open.kind = RecordedKind::kOpen;
    open.opened = std::move(opened);
    // Where the date is missing or wrong, the first message's time stands in.
    if (!events.empty()) open.wallTime = events.front().wallTime;
    if (const auto started = fields.string("startedDateTime")) {
        const auto micros = parseIsoDate(*started);
        if (micros && *micros >= 0 && *micros <= kMaxMicros) {
            open.wallTime = fromMicros(*micros);
        } else {
            fields.problem("startedDateTime", "must be an ISO 8601 date from 1970 to 2200, not " +
                                                  wsdemo::printableQuote(*started));
        }
    }
    if (!reader.keep(std::move(open))) return 0;
    std::size_t kept = 0;
    for (RecordedEvent& event : events) {
        if (!reader.keep(std::move(event))) break;
        ++kept;
    }
    return kept;
}

// `document` is an object, but a cut may have come before its "log".
void readHar(const Json& document, Reader& reader) {
    const auto log = document.find("log");
    const bool hasLog = log != document.end() && log->is_object();
    const auto entries = hasLog ? log->find("entries") : document.end();
    if (!hasLog || entries == log->end() || !entries->is_array()) {
        reader.problem("log.entries: must be an array of entries");
        return;
    }
    uint64_t connections = 0;
    std::size_t messages = 0;
    for (std::size_t i = 0; i < entries->size() && !reader.stopped(); ++i) {
        const Json& entry = (*entries)[i];
        if (!entry.is_object() || !isWebSocketEntry(entry)) continue;
        messages +=
            readHarEntry(entry, "entries[" + std::to_string(i) + "]", ++connections, reader);
    }
    if (connections == 0) {
        reader.problem("no WebSocket messages: none of the " + std::to_string(entries->size()) +
                       " entries is a WebSocket connection (Chrome's devtools and Playwright "
                       "save them with _webSocketMessages)");
    } else if (messages == 0 && !reader.stopped()) {
        reader.problem(
            "no WebSocket messages: the WebSocket connections were saved without "
            "their frames (_webSocketMessages), as Firefox does");
    }
}

bool startsWithLogKey(std::string_view bytes) {
    const auto start = bytes.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || bytes[start] != '{') return false;
    const auto key = bytes.find_first_not_of(" \t\r\n", start + 1);
    return key != std::string_view::npos && bytes.substr(key, 5) == "\"log\"";
}

// HAR when the content says so: a JSON object with "log" (one line, or many, as HAR files
// usually are). Otherwise none, and the bytes are read as JSON Lines.
std::optional<Json> harDocument(std::string_view bytes, Reader& reader, RecordingRead& read) {
    const std::string_view firstLine = bytes.substr(0, bytes.find('\n'));
    const ParsedJson line = parseJson(firstLine, false, firstLine.size() == bytes.size());
    if (line.value) {
        if (line.value->is_object() && line.value->contains("log")) return line.value;
        return std::nullopt;
    }
    ParsedJson whole = parseJson(bytes, true, true);
    const bool isHar = whole.value ? whole.value->is_object() && whole.value->contains("log")
                                   : startsWithLogKey(bytes);
    if (!isHar) return std::nullopt;
    read.format = RecordingFormat::kHar;
    if (whole.value) return whole.value;
    if (!whole.beforeCut) {
        reader.problem("the HAR file is " + whole.error);
        return std::nullopt;
    }
    // A browser or a disk that gave out mid-save: what came before the cut is read, and a
    // message the cut left without a field is named as any bad message is.
    // Paths in problems start below "log.", as the entries' do.
    std::string_view cutAt = whole.cutAt;
    if (cutAt.substr(0, 4) == "log.") cutAt.remove_prefix(4);
    reader.problem("the HAR file is cut off" +
                   (cutAt.empty() ? std::string() : " in " + std::string(cutAt)) +
                   ": what came before it is read, the rest is missing");
    return whole.beforeCut;
}

}  // namespace

RecordingRead parseRecording(std::string_view bytes, RecordingLimits limits) {
    RecordingRead read;
    Reader reader(read, limits);
    try {
        if (isBlank(bytes)) {
            reader.problem("the file is empty");
        } else if (auto har = harDocument(bytes, reader, read)) {
            read.format = RecordingFormat::kHar;
            readHar(*har, reader);
        } else if (read.format == RecordingFormat::kJsonLines) {
            readJsonLines(bytes, reader);
        }
    } catch (const std::exception& error) {
        reader.problem(std::string("the recording could not be read: ") + error.what());
    }
    reader.finish();
    return read;
}

namespace {

struct FileDescriptor {
    int fd;
    ~FileDescriptor() { ::close(fd); }
};

std::string bigSizeText(std::size_t bytes) {
    char text[32];
    const double value = static_cast<double>(bytes);
    std::snprintf(text, sizeof text, value >= 1e9 ? "%.1f GB" : "%.1f MB",
                  value >= 1e9 ? value / 1e9 : value / 1e6);
    return text;
}

}  // namespace

std::variant<RecordingRead, std::string> readRecordingFile(const std::string& path,
                                                           RecordingLimits limits) {
    const std::string cannot = "cannot open " + path + ": ";
    if (std::string why = whyUnreadable(path); !why.empty()) return cannot + why;
    // Non-blocking, and checked again once open: the file may have changed since.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return cannot + std::strerror(errno);
    const FileDescriptor closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return cannot + std::strerror(errno);
    if (!S_ISREG(info.st_mode)) return cannot + "not a regular file";
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size > kMaxRecordingFileBytes)
        return cannot + "it is " + bigSizeText(size) + "; a recording of at most " +
               sizeText(kMaxRecordingFileBytes) + " can be opened";
    std::string bytes(size, '\0');
    std::size_t filled = 0;
    while (filled < size) {
        const ssize_t got = ::read(fd, bytes.data() + filled, size - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return cannot + std::strerror(errno);
        if (got == 0) break;  // It shrank meanwhile: what is there is read.
        filled += static_cast<std::size_t>(got);
    }
    bytes.resize(filled);
    return parseRecording(bytes, limits);
}

}  // namespace wsdemo
