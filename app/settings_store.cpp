#include "settings_store.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "local_time.h"
#include "wsdemo/mock_rules.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Files.

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    // close() reports write-back errors (NFS, quotas): a save must see them.
    int close() { return ::close(std::exchange(fd_, -1)); }

private:
    int fd_;
};

std::string errnoText() {
    return std::strerror(errno);
}

std::string notARegularFile(mode_t mode) {
    if (S_ISDIR(mode)) return "it is a directory, not a file";
    if (S_ISFIFO(mode)) return "it is a FIFO, not a regular file";
    return "it is not a regular file";
}

std::string tooLarge(long long bytes) {
    return "it holds " + std::to_string(bytes) + " bytes, more than the " +
           std::to_string(SettingsStore::kMaxFileBytes) + " a settings file may";
}

struct FileRead {
    bool missing = false;
    std::string contents;
    std::string error;  // Why it could not be read.
};

FileRead readSmallFile(const std::string& path) {
    FileRead read;
    // stat() first: opening a FIFO or a device could block or have effects.
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        read.missing = errno == ENOENT;
        if (!read.missing) read.error = errnoText();
        return read;
    }
    if (!S_ISREG(info.st_mode)) return FileRead{false, {}, notARegularFile(info.st_mode)};
    if (info.st_size > static_cast<off_t>(SettingsStore::kMaxFileBytes))
        return FileRead{false, {}, tooLarge(info.st_size)};
    // O_NONBLOCK: should a FIFO replace the file since stat(), open() must not wait for it.
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (file.get() < 0) return FileRead{false, {}, errnoText()};
    if (::fstat(file.get(), &info) != 0) return FileRead{false, {}, errnoText()};
    if (!S_ISREG(info.st_mode)) return FileRead{false, {}, notARegularFile(info.st_mode)};
    // One byte more than allowed tells a file that grew since stat().
    read.contents.resize(SettingsStore::kMaxFileBytes + 1);
    std::size_t filled = 0;
    while (filled < read.contents.size()) {
        const ssize_t got =
            ::read(file.get(), &read.contents[filled], read.contents.size() - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return FileRead{false, {}, errnoText()};
        if (got == 0) break;
        filled += static_cast<std::size_t>(got);
    }
    if (filled > SettingsStore::kMaxFileBytes) return FileRead{false, {}, tooLarge(info.st_size)};
    read.contents.resize(filled);
    return read;
}

// Creates `directory` and its missing parents, each with mode 0700. Empty or why not.
std::string makeDirectories(const std::string& directory) {
    for (std::size_t slash = directory.find('/', 1);; slash = directory.find('/', slash + 1)) {
        const std::string prefix = directory.substr(0, slash);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
            return "cannot create " + prefix + ": " + errnoText();
        if (slash == std::string::npos) break;
    }
    struct stat info {};
    if (::stat(directory.c_str(), &info) != 0)
        return "cannot create " + directory + ": " + errnoText();
    if (!S_ISDIR(info.st_mode)) return "cannot create " + directory + ": a file is in the way";
    return {};
}

bool writeAll(int fd, const std::string& data) {
    std::size_t written = 0;
    while (written < data.size()) {
        const ssize_t put = ::write(fd, data.data() + written, data.size() - written);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return false;
        written += static_cast<std::size_t>(put);
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Settings to JSON.

json toJson(const ConnectOptions& options) {
    json headers = json::array();
    for (const Header& header : options.headers)
        headers.push_back(header.name + ": " + header.value);
    const ReconnectOptions& reconnect = options.reconnect;
    const TlsOptions& tls = options.tls;
    return {{"subprotocols", options.subprotocols},
            {"headers", headers},
            {"origin", options.origin},
            {"connectTimeoutMs", options.connectTimeout.count()},
            {"maxMessageBytes", options.maxMessageBytes},
            {"compression", options.compression},
            {"pingIntervalMs", options.pingInterval.count()},
            {"autoPong", options.autoPong},
            {"reconnect",
             {{"enabled", reconnect.enabled},
              {"minDelayMs", reconnect.minDelay.count()},
              {"maxDelayMs", reconnect.maxDelay.count()},
              {"maxAttempts", reconnect.maxAttempts}}},
            {"tls",
             {{"caFile", tls.caFile},
              {"certFile", tls.certFile},
              {"keyFile", tls.keyFile},
              {"verifyCertificate", tls.verifyCertificate},
              {"verifyHostname", tls.verifyHostname}}}};
}

json toJson(const Settings& settings) {
    json snippets = json::array();
    for (const Snippet& snippet : settings.snippets)
        snippets.push_back(
            {{"name", snippet.name}, {"body", snippet.body}, {"binary", snippet.binary}});
    json root{
        {"version", SettingsStore::kVersion},
        {"connect", toJson(settings.connect)},
        {"urlHistory", settings.urlHistory},
        {"snippets", snippets},
        {"theme", settings.theme == Theme::kLight ? "light" : "dark"},
        {"log", {{"maxRows", settings.log.maxRows}, {"maxBytes", settings.log.maxBytes}}},
        {"layout", {{"logWidthShare", settings.logWidthShare}, {"sideTab", settings.sideTab}}},
        {"mockRules", settings.mockRules}};
    const WindowPlacement& window = settings.window;
    if (window.known)  // Else the window manager keeps placing it.
        root["window"] = {
            {"x", window.x}, {"y", window.y}, {"width", window.width}, {"height", window.height}};
    return root;
}

// ---------------------------------------------------------------------------------------------
// JSON to Settings: each bad field is dropped (its default stays) and named in `problems`.

class Reader {
public:
    explicit Reader(std::vector<std::string>& problems) : problems_(problems) {}

    void problem(const std::string& where, const std::string& why) {
        problems_.push_back(where + ": " + why);
    }
    std::size_t problemCount() const { return problems_.size(); }

    // The member `key` of `object` if present and of the type `isType` checks, else nullptr.
    const json* member(const json& object, const std::string& path, const char* key,
                       bool (json::*isType)() const noexcept, const char* expected) {
        const auto found = object.find(key);
        if (found == object.end()) return nullptr;
        if (!((*found).*isType)()) {
            problem(path + key,
                    std::string("expected ") + expected + ", found " + found->type_name());
            return nullptr;
        }
        return &*found;
    }
    const json* object(const json& parent, const std::string& path, const char* key) {
        return member(parent, path, key, &json::is_object, "an object");
    }

    void read(const json& object, const std::string& path, const char* key, bool& out) {
        if (const json* value = member(object, path, key, &json::is_boolean, "true or false"))
            out = value->get<bool>();
    }
    void read(const json& object, const std::string& path, const char* key, std::string& out) {
        if (const json* value = member(object, path, key, &json::is_string, "a string"))
            out = value->get<std::string>();
    }
    std::optional<long long> integer(const json& object, const std::string& path, const char* key,
                                     const IntRange& range) {
        const json* value = member(object, path, key, &json::is_number_integer, "a whole number");
        if (!value) return std::nullopt;
        const bool huge =
            value->is_number_unsigned() && value->get<unsigned long long>() > LLONG_MAX;
        const long long number = huge ? LLONG_MAX : value->get<long long>();
        if (std::string why = checkRange(number, range); !why.empty()) {
            problem(path + key, value->dump() + " " + why);
            return std::nullopt;
        }
        return number;
    }
    template <typename Number>
    void read(const json& object, const std::string& path, const char* key, const IntRange& range,
              Number& out) {
        if (const auto number = integer(object, path, key, range))
            out = static_cast<Number>(*number);
    }
    void read(const json& object, const std::string& path, const char* key, const IntRange& range,
              std::chrono::milliseconds& out) {
        if (const auto number = integer(object, path, key, range))
            out = std::chrono::milliseconds(*number);
    }

    // Each string of the array `key`, with its name ("connect.headers[2]").
    template <typename Use>
    void strings(const json& object, const std::string& path, const char* key, Use use) {
        const json* array = member(object, path, key, &json::is_array, "an array");
        for (std::size_t index = 0; array && index < array->size(); ++index) {
            const std::string name = path + key + "[" + std::to_string(index) + "]";
            const json& item = (*array)[index];
            if (item.is_string())
                use(name, item.get<std::string>());
            else
                problem(name, std::string("expected a string, found ") + item.type_name());
        }
    }

private:
    std::vector<std::string>& problems_;
};

void readReconnect(Reader& reader, const json& object, ReconnectOptions& out) {
    const std::string path = "connect.reconnect.";
    ReconnectOptions read;
    reader.read(object, path, "enabled", read.enabled);
    reader.read(object, path, "minDelayMs", limits::kReconnectDelayMs, read.minDelay);
    reader.read(object, path, "maxDelayMs", limits::kReconnectDelayMs, read.maxDelay);
    reader.read(object, path, "maxAttempts", limits::kReconnectAttempts, read.maxAttempts);
    if (read.minDelay > read.maxDelay) {
        reader.problem("connect.reconnect", "minDelayMs " + std::to_string(read.minDelay.count()) +
                                                " is above maxDelayMs " +
                                                std::to_string(read.maxDelay.count()));
        read.minDelay = out.minDelay;
        read.maxDelay = out.maxDelay;
    }
    out = read;
}

void readTls(Reader& reader, const json& object, TlsOptions& out) {
    const std::string path = "connect.tls.";
    reader.read(object, path, "caFile", out.caFile);
    reader.read(object, path, "certFile", out.certFile);
    reader.read(object, path, "keyFile", out.keyFile);
    reader.read(object, path, "verifyCertificate", out.verifyCertificate);
    reader.read(object, path, "verifyHostname", out.verifyHostname);
}

void readConnect(Reader& reader, const json& object, ConnectOptions& out) {
    const std::string path = "connect.";
    reader.strings(object, path, "subprotocols", [&](const std::string& name, std::string text) {
        if (std::string why = checkSubprotocol(text); !why.empty())
            reader.problem(name, why);
        else
            out.subprotocols.push_back(std::move(text));
    });
    reader.strings(object, path, "headers", [&](const std::string& name, const std::string& text) {
        auto parsed = parseHeader(text);
        if (auto* why = std::get_if<std::string>(&parsed))
            reader.problem(name, *why);
        else
            out.headers.push_back(std::get<Header>(std::move(parsed)));
    });
    std::string origin;
    reader.read(object, path, "origin", origin);
    if (std::string why = checkOrigin(origin); !why.empty())
        reader.problem(path + "origin", why);
    else
        out.origin = origin;
    reader.read(object, path, "connectTimeoutMs", limits::kConnectTimeoutMs, out.connectTimeout);
    reader.read(object, path, "maxMessageBytes", limits::kMaxMessageBytes, out.maxMessageBytes);
    reader.read(object, path, "compression", out.compression);
    reader.read(object, path, "pingIntervalMs", limits::kPingIntervalMs, out.pingInterval);
    reader.read(object, path, "autoPong", out.autoPong);
    if (const json* reconnect = reader.object(object, path, "reconnect"))
        readReconnect(reader, *reconnect, out.reconnect);
    if (const json* tls = reader.object(object, path, "tls")) readTls(reader, *tls, out.tls);
}

void readSnippets(Reader& reader, const json& root, std::vector<Snippet>& out) {
    const json* array = reader.member(root, "", "snippets", &json::is_array, "an array");
    for (std::size_t index = 0; array && index < array->size(); ++index) {
        const std::string name = "snippets[" + std::to_string(index) + "]";
        const json& item = (*array)[index];
        const bool complete = item.is_object() && item.contains("name") && item.contains("body");
        if (!complete) {
            reader.problem(name, "expected an object with a name and a body");
            continue;
        }
        const std::size_t problemsBefore = reader.problemCount();
        Snippet snippet;
        reader.read(item, name + ".", "name", snippet.name);
        reader.read(item, name + ".", "body", snippet.body);
        reader.read(item, name + ".", "binary", snippet.binary);
        if (reader.problemCount() == problemsBefore) out.push_back(std::move(snippet));
    }
}

void readUrlHistory(Reader& reader, const json& root, std::vector<std::string>& out) {
    std::size_t count = 0;
    reader.strings(root, "", "urlHistory", [&](const std::string&, std::string url) {
        ++count;
        if (out.size() < Settings::kMaxUrlHistory && !url.empty() &&
            std::find(out.begin(), out.end(), url) == out.end())
            out.push_back(std::move(url));
    });
    if (count > Settings::kMaxUrlHistory)
        reader.problem("urlHistory", std::to_string(count) + " entries, kept the first " +
                                         std::to_string(Settings::kMaxUrlHistory));
}

void readWindow(Reader& reader, const json& object, WindowPlacement& out) {
    const std::string path = "window.";
    const std::size_t problemsBefore = reader.problemCount();
    WindowPlacement read;
    reader.read(object, path, "x", limits::kWindowPosition, read.x);
    reader.read(object, path, "y", limits::kWindowPosition, read.y);
    reader.read(object, path, "width", limits::kWindowWidth, read.width);
    reader.read(object, path, "height", limits::kWindowHeight, read.height);
    // A placement with a bad part is no placement: the window manager places the window.
    if (reader.problemCount() == problemsBefore) {
        read.known = true;
        out = read;
    }
}

void readLayout(Reader& reader, const json& object, Settings& out) {
    const std::string path = "layout.";
    if (const json* share =
            reader.member(object, path, "logWidthShare", &json::is_number, "a number")) {
        const double value = share->get<double>();
        if (value >= limits::kMinLogWidthShare && value <= limits::kMaxLogWidthShare)
            out.logWidthShare = static_cast<float>(value);
        else
            reader.problem(path + "logWidthShare", share->dump() + " must be from 0.1 to 0.9");
    }
    std::string tab;
    reader.read(object, path, "sideTab", tab);
    const auto& tabs = limits::kSideTabs;
    if (std::find(std::begin(tabs), std::end(tabs), tab) != std::end(tabs))
        out.sideTab = tab;
    else if (!tab.empty())
        reader.problem(path + "sideTab", wsdemo::printableQuote(tab) + " is not a side tab");
}

// Kept as text whether it parses or not (the Mock panel says why not), but bounded.
void readMockRules(Reader& reader, const json& root, std::string& out) {
    std::string rules;
    reader.read(root, "", "mockRules", rules);
    if (rules.size() > kMaxRulesFileBytes)
        reader.problem("mockRules", std::to_string(rules.size()) + " bytes, more than the " +
                                        std::to_string(kMaxRulesFileBytes) + " rules may hold");
    else
        out = std::move(rules);
}

void readSettings(Reader& reader, const json& root, Settings& out) {
    if (const auto found = root.find("version");
        found != root.end() && *found != SettingsStore::kVersion)
        reader.problem("version", found->dump() + " is not " +
                                      std::to_string(SettingsStore::kVersion) +
                                      ", the version this wsdemo reads");
    if (const json* connect = reader.object(root, "", "connect"))
        readConnect(reader, *connect, out.connect);
    readUrlHistory(reader, root, out.urlHistory);
    readSnippets(reader, root, out.snippets);
    std::string theme;
    reader.read(root, "", "theme", theme);
    if (theme == "light" || theme == "dark")
        out.theme = theme == "light" ? Theme::kLight : Theme::kDark;
    else if (!theme.empty())
        reader.problem("theme", wsdemo::printableQuote(theme) + " is not \"dark\" or \"light\"");
    if (const json* window = reader.object(root, "", "window"))
        readWindow(reader, *window, out.window);
    if (const json* log = reader.object(root, "", "log")) {
        reader.read(*log, "log.", "maxRows", limits::kLogRows, out.log.maxRows);
        reader.read(*log, "log.", "maxBytes", limits::kLogBytes, out.log.maxBytes);
    }
    if (const json* layout = reader.object(root, "", "layout")) readLayout(reader, *layout, out);
    readMockRules(reader, root, out.mockRules);
}

// "line 3, column 5: syntax error while parsing object - ..." out of nlohmann's message, whose
// "last read" part quotes the bad token whole: that may be most of a megabyte.
std::string describeParseError(const json::parse_error& error) {
    constexpr std::size_t kMaxBytes = 200;
    std::string what = error.what();
    const std::size_t at = what.find(" at line ");
    if (at != std::string::npos) what.erase(0, at + 4);
    if (what.size() <= kMaxBytes) return what;
    return std::string(utf8Prefix(what, kMaxBytes)) + "...";
}

// The first few problems in one line; the rest counted.
std::string joinProblems(const std::vector<std::string>& problems) {
    constexpr std::size_t kShown = 3;
    std::string line;
    for (std::size_t index = 0; index < problems.size() && index < kShown; ++index)
        line += (index ? "; " : "") + problems[index];
    if (problems.size() > kShown)
        line += "; and " + std::to_string(problems.size() - kShown) + " more";
    return line;
}

struct Parsed {
    std::vector<std::string> problems;  // Empty when all of the file was read.
    bool unusable = false;              // Nothing of it was: not a JSON object at all.
};

Parsed parseInto(const std::string& contents, Settings& settings) {
    if (contents.find_first_not_of(" \t\r\n") == std::string::npos)
        return {{"the file is empty"}, true};
    json root;
    try {
        root = json::parse(contents);
    } catch (const json::parse_error& error) {
        return {{describeParseError(error)}, true};
    }
    if (!root.is_object())
        return {{std::string("expected a JSON object, found ") + root.type_name()}, true};
    Parsed parsed;
    Reader reader(parsed.problems);
    readSettings(reader, root, settings);
    return parsed;
}

}  // namespace

std::string configDirectory() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/') return std::string(xdg) + "/wsdemo";
    const char* home = std::getenv("HOME");
    if (!home || home[0] != '/') {
        const passwd* user = ::getpwuid(::getuid());
        home = user ? user->pw_dir : nullptr;
    }
    if (home && home[0] == '/') return std::string(home) + "/.config/wsdemo";
    return {};
}

SettingsStore::SettingsStore(std::string directory) : directory_(std::move(directory)) {}

std::string SettingsStore::filePath() const {
    return directory_ + "/" + kFileName;
}

LoadResult SettingsStore::load() const {
    LoadResult result;
    try {
        if (directory_.empty()) {
            result.problem = "no home directory to keep settings in: starting with defaults";
            return result;
        }
        const FileRead read = readSmallFile(filePath());
        if (read.missing) return result;
        const Parsed parsed = read.error.empty() ? parseInto(read.contents, result.settings)
                                                 : Parsed{{read.error}, true};
        if (parsed.problems.empty()) return result;
        result.problem = filePath() + ": " + joinProblems(parsed.problems) + "; " + setAside() +
                         (parsed.unusable ? ", starting with defaults" : ", kept the rest");
    } catch (const std::exception& error) {  // Out of memory: defaults, and say so.
        result =
            LoadResult{Settings{}, filePath() + ": " + error.what() + ", starting with defaults"};
    }
    return result;
}

std::string SettingsStore::setAside() const {
    const std::string stem =
        std::string(kFileName) + ".corrupt-" + fileNameStamp(std::chrono::system_clock::now());
    // Never over an earlier set-aside file: that one was bad too, and is the user's.
    std::string name = stem;
    struct stat info {};
    for (int copy = 2; ::lstat((directory_ + "/" + name).c_str(), &info) == 0; ++copy)
        name = stem + "-" + std::to_string(copy);
    if (::rename(filePath().c_str(), (directory_ + "/" + name).c_str()) != 0)
        return "could not set it aside (" + errnoText() + ")";
    return "set aside as " + name;
}

std::string SettingsStore::save(const Settings& settings) const {
    const std::string path = filePath();
    const std::string failed = "cannot save settings to " + path + ": ";
    if (directory_.empty()) return "cannot save settings: no home directory to keep them in";
    try {
        // Strings that are not UTF-8 would make dump() throw: replaced, the rest saved.
        const std::string text =
            toJson(settings).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
        if (std::string why = makeDirectories(directory_); !why.empty()) return failed + why;
        const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
        FileDescriptor file(
            ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (file.get() < 0) return failed + errnoText();
        const bool written = writeAll(file.get(), text) && ::fsync(file.get()) == 0 &&
                             file.close() == 0 && ::rename(temporary.c_str(), path.c_str()) == 0;
        if (!written) {
            const std::string why = errnoText();
            ::unlink(temporary.c_str());
            return failed + why;
        }
        // The rename itself reaches the disk with the directory.
        FileDescriptor directory(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (directory.get() >= 0) ::fsync(directory.get());
        return {};
    } catch (const std::exception& error) {
        return failed + error.what();
    }
}

}  // namespace wsdemo
