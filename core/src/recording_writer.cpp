// Recordings written: JSON Lines lines, HAR documents, and the files that hold them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>

#include "recording_format.h"
#include "wsdemo/recording.h"
#include "wsdemo/text.h"
#include "wsdemo/url.h"

namespace wsdemo {

using namespace recording_format;

std::string jsonLinesHeader() {
    return kHeaderLine;
}

std::string toJsonLine(const RecordedEvent& event) {
    OrderedJson line;
    line["t"] = toMicros(event.wallTime);
    line["conn"] = event.connection;
    line["event"] = toString(event.kind);
    switch (event.kind) {
        case RecordedKind::kOpen: {
            static const RecordedConnection kUnknown;
            const RecordedConnection& opened = event.opened ? *event.opened : kUnknown;
            line["url"] = opened.url;
            line["headers"] = OrderedJson::array();
            for (const Header& header : opened.headers)
                line["headers"].push_back(OrderedJson::array({header.name, header.value}));
            line["subprotocols"] = opened.subprotocols;
            line["protocol"] = opened.protocol;
            line["extensions"] = opened.extensions;
            break;
        }
        case RecordedKind::kMessage: {
            line["dir"] = toString(event.direction);
            const bool binary = event.message && event.message->type == Message::Type::kBinary;
            const std::string& data = event.message ? event.message->data : event.payload;
            line["opcode"] = binary ? 2 : 1;
            if (binary) {
                line["base64"] = toBase64(data);
            } else {
                line["text"] = data;
            }
            if (event.timed) line["timed"] = true;
            break;
        }
        case RecordedKind::kPing:
        case RecordedKind::kPong:
            line["dir"] = toString(event.direction);
            line["base64"] = toBase64(event.payload);
            break;
        case RecordedKind::kClose:
            line["code"] = event.closeCode;
            // disconnectUnchecked() may close with any bytes: kept whole, as base64.
            if (isValidUtf8(event.payload)) {
                line["reason"] = event.payload;
            } else {
                line["reason_base64"] = toBase64(event.payload);
            }
            line["by"] = event.direction == RecordedDirection::kSend ? "client" : "server";
            break;
    }
    return dumpJson(line);
}

namespace {

// "2025-11-28T22:46:40.123Z", as HAR's startedDateTime.
std::string isoDate(WallClock::time_point time) {
    const int64_t micros = toMicros(time);
    const auto seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(micros % 1000000 / 1000));
    return std::string(text, length) + millis;
}

OrderedJson harHeader(const std::string& name, const std::string& value) {
    return OrderedJson{{"name", name}, {"value", value}};
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

// The request's headers in the order a browser lists them, the ones libwebsockets adds
// included (its Sec-WebSocket-Key is not known here, nor needed).
OrderedJson harRequest(const RecordedConnection& request) {
    auto headers = OrderedJson::array();
    if (auto url = parseWsUrl(request.url); const auto* parsed = std::get_if<WsUrl>(&url)) {
        const bool ipv6 = parsed->host.find(':') != std::string::npos;
        std::string host = ipv6 ? "[" + parsed->host + "]" : parsed->host;
        if (parsed->port != (parsed->secure ? 443 : 80)) host += ":" + std::to_string(parsed->port);
        headers.push_back(harHeader("Host", host));
    }
    headers.push_back(harHeader("Connection", "Upgrade"));
    headers.push_back(harHeader("Upgrade", "websocket"));
    for (const Header& header : request.headers)
        headers.push_back(harHeader(header.name, header.value));
    headers.push_back(harHeader("Sec-WebSocket-Version", "13"));
    if (!request.subprotocols.empty())
        headers.push_back(harHeader("Sec-WebSocket-Protocol", joined(request.subprotocols, ", ")));

    auto query = OrderedJson::array();
    const std::string_view url = request.url;
    if (const auto start = url.find('?'); start != std::string_view::npos) {
        std::string_view rest = url.substr(start + 1, url.find('#') - start - 1);
        while (!rest.empty()) {
            const std::string_view pair = rest.substr(0, rest.find('&'));
            rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
            const auto equals = pair.find('=');
            query.push_back(harHeader(std::string(pair.substr(0, equals)),
                                      equals == std::string_view::npos
                                          ? std::string()
                                          : std::string(pair.substr(equals + 1))));
        }
    }
    return OrderedJson{{"method", "GET"},           {"url", request.url},
                       {"httpVersion", "HTTP/1.1"}, {"headers", headers},
                       {"queryString", query},      {"cookies", OrderedJson::array()},
                       {"headersSize", -1},         {"bodySize", 0}};
}

OrderedJson harResponse(const RecordedConnection& request) {
    auto headers =
        OrderedJson::array({harHeader("Upgrade", "websocket"), harHeader("Connection", "Upgrade")});
    if (!request.protocol.empty())
        headers.push_back(harHeader("Sec-WebSocket-Protocol", request.protocol));
    if (!request.extensions.empty())
        headers.push_back(harHeader("Sec-WebSocket-Extensions", request.extensions));
    return OrderedJson{{"status", 101},
                       {"statusText", "Switching Protocols"},
                       {"httpVersion", "HTTP/1.1"},
                       {"headers", headers},
                       {"cookies", OrderedJson::array()},
                       {"content", {{"size", 0}, {"mimeType", "x-unknown"}}},
                       {"redirectURL", ""},
                       {"headersSize", -1},
                       {"bodySize", -1}};
}

struct HarConnection {
    const RecordedConnection* request = nullptr;
    WallClock::time_point first, last;
    std::vector<const RecordedEvent*> messages;
};

OrderedJson harEntry(const HarConnection& connection) {
    static const RecordedConnection kUnknown;
    const RecordedConnection& request = connection.request ? *connection.request : kUnknown;
    auto messages = OrderedJson::array();
    for (const RecordedEvent* event : connection.messages) {
        const bool binary = event->message->type == Message::Type::kBinary;
        messages.push_back(
            OrderedJson{{"type", toString(event->direction)},
                        {"time", static_cast<double>(toMicros(event->wallTime)) / 1e6},
                        {"opcode", binary ? 2 : 1},
                        {"data", binary ? toBase64(event->message->data) : event->message->data}});
    }
    const double millis =
        static_cast<double>(toMicros(connection.last) - toMicros(connection.first)) / 1e3;
    return OrderedJson{{"startedDateTime", isoDate(connection.first)},
                       {"time", millis},
                       {"request", harRequest(request)},
                       {"response", harResponse(request)},
                       {"cache", OrderedJson::object()},
                       {"timings", {{"send", 0}, {"wait", millis}, {"receive", 0}}},
                       {"_resourceType", "websocket"},
                       {"_webSocketMessages", messages}};
}

}  // namespace

std::string toHar(const std::vector<RecordedEvent>& events, const std::string& creatorVersion) {
    std::vector<uint64_t> order;
    std::map<uint64_t, HarConnection> connections;
    for (const RecordedEvent& event : events) {
        auto [found, isNew] = connections.try_emplace(event.connection);
        HarConnection& connection = found->second;
        if (isNew) {
            order.push_back(event.connection);
            connection.first = event.wallTime;
        }
        connection.last = std::max(connection.last, event.wallTime);
        if (event.kind == RecordedKind::kOpen && event.opened) {
            connection.request = event.opened.get();
        } else if (event.kind == RecordedKind::kMessage && event.message) {
            connection.messages.push_back(&event);
        }
    }
    auto entries = OrderedJson::array();
    for (const uint64_t id : order) entries.push_back(harEntry(connections[id]));
    const OrderedJson har{{"log",
                           {{"version", "1.2"},
                            {"creator", {{"name", "wsdemo"}, {"version", creatorVersion}}},
                            {"pages", OrderedJson::array()},
                            {"entries", entries}}}};
    return dumpJson(har, 2) + "\n";
}

namespace {

std::string systemError(const std::string& path) {
    return "cannot write " + path + ": " + std::strerror(errno);
}

// Something other than a file where the temporary file goes (writeRecording refuses it, never
// opens it): a FIFO would block the save until someone read it, a symlink would send the
// recording elsewhere.
bool inTheWay(const std::string& temporary) {
    struct stat info {};
    return ::lstat(temporary.c_str(), &info) == 0 && !S_ISREG(info.st_mode);
}

// The temporary file, created or emptied; null with errno set. Not through a symlink, and not
// blocking, should one appear after inTheWay() looked.
std::FILE* openTemporary(const std::string& temporary) {
    const int fd = ::open(temporary.c_str(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return nullptr;
    std::FILE* file = ::fdopen(fd, "wb");
    if (!file) {
        const int error = errno;
        ::close(fd);
        errno = error;
    }
    return file;
}

// Writes everything or says why not; the file is closed either way.
std::string writeAll(const std::string& path, std::unique_ptr<std::FILE, int (*)(std::FILE*)> file,
                     const std::vector<RecordedEvent>& events, const std::string& creatorVersion) {
    bool written = true;
    const auto put = [&](const std::string& text) {
        written = written && std::fwrite(text.data(), 1, text.size(), file.get()) == text.size();
    };
    if (formatForPath(path) == RecordingFormat::kHar) {
        put(toHar(events, creatorVersion));
    } else {
        put(jsonLinesHeader() + "\n");
        for (const RecordedEvent& event : events) put(toJsonLine(event) + "\n");
    }
    written = written && std::fflush(file.get()) == 0 && ::fsync(fileno(file.get())) == 0;
    if (!written) return systemError(path);
    if (std::fclose(file.release()) != 0) return systemError(path);
    return {};
}

}  // namespace

std::string writeRecording(const std::string& path, const std::vector<RecordedEvent>& events,
                           const std::string& creatorVersion) {
    // Through a temporary file renamed into place: a failed save never leaves half a file.
    const std::string temporary = path + ".tmp";
    if (inTheWay(temporary)) return "cannot write " + path + ": " + temporary + " is in the way";
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(openTemporary(temporary), &std::fclose);
    if (!file) return systemError(path);
    std::string error = writeAll(path, std::move(file), events, creatorVersion);
    if (error.empty() && std::rename(temporary.c_str(), path.c_str()) != 0)
        error = systemError(path);
    if (!error.empty()) ::unlink(temporary.c_str());
    return error;
}

std::string JsonLinesWriter::open(const std::string& path) {
    file_.reset(std::fopen(path.c_str(), "wb"));
    events_ = bytes_ = 0;
    cutShort_ = failed_ = false;
    if (!file_) return systemError(path);
    const std::string header = jsonLinesHeader() + "\n";
    if (std::fwrite(header.data(), 1, header.size(), file_.get()) != header.size() ||
        std::fflush(file_.get()) != 0) {
        failed_ = true;
        return systemError(path);
    }
    return {};
}

std::string JsonLinesWriter::append(const RecordedEvent& event) {
    if (failed_ || cutShort_) return {};
    if (!file_) {
        failed_ = true;
        return "the recording file is not open";
    }
    if (overLimits(limits_, events_, bytes_, event)) {
        cutShort_ = true;
        return stoppedText(limits_, events_);
    }
    // Flushed line by line: a crash keeps every event before it.
    const std::string line = toJsonLine(event) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size() ||
        std::fflush(file_.get()) != 0) {
        failed_ = true;
        return std::string("cannot write the recording: ") + std::strerror(errno);
    }
    ++events_;
    bytes_ += dataBytes(event);
    return {};
}

}  // namespace wsdemo
