// settings.json in a temporary directory: every field through a save and a load, and every way
// a file can be bad (the store keeps what it can, sets the file aside and says why).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "settings_store.h"
#include "support/temporary_directory.h"
#include "wsdemo/mock_rules.h"

using namespace wsdemo;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Sets an environment variable (or unsets it, for nullopt) until the end of the scope.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            ::setenv(name, value->c_str(), 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnvironment() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

void writeFile(const std::string& path, const std::string& contents) {
    std::ofstream(path, std::ios::binary) << contents;
}

std::string readFile(const std::string& path) {
    std::ostringstream contents;
    contents << std::ifstream(path, std::ios::binary).rdbuf();
    return contents.str();
}

std::vector<std::string> entries(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// The one file whose name starts with settings.json.corrupt-, or "" if none or several.
std::string setAsideFile(const std::string& directory) {
    std::string found;
    for (const std::string& name : entries(directory))
        if (name.rfind("settings.json.corrupt-", 0) == 0) {
            if (!found.empty()) return {};
            found = name;
        }
    return found;
}

Settings everyFieldChanged() {
    Settings settings;
    ConnectOptions& connect = settings.connect;
    connect.subprotocols = {"chat", "superchat.v2"};
    connect.headers = {{"Authorization", "Bearer abc"}, {"X-Trace", "42"}};
    connect.origin = "https://example.org";
    connect.connectTimeout = 2500ms;
    connect.maxMessageBytes = 65536;
    connect.compression = false;
    connect.pingInterval = 0ms;
    connect.autoPong = false;
    connect.reconnect = {true, 250ms, 9000ms, 7};
    connect.tls = {"/etc/ssl/ca.pem", "/home/me/client.pem", "/home/me/client.key", false, false};
    settings.urlHistory = {"ws://localhost:9001/", "wss://echo.example.org/ws"};
    settings.snippets = {{"hello", "{\"op\": \"hello\"}", false}, {"ping bytes", "00ff10", true}};
    settings.theme = Theme::kLight;
    settings.window = {true, -40, 30, 1280, 800};
    settings.log = {5000, 64u << 20};
    settings.logWidthShare = 0.45f;
    settings.sideTab = "Mock";
    settings.mockRules =
        "{\"rules\": [{\"match\": {\"text\": \"ping?\"}, \"reply\": [{\"text\": "
        "\"pong!\"}]}]}\n";
    return settings;
}

void checkSame(const Settings& loaded, const Settings& saved) {
    const ConnectOptions& a = loaded.connect;
    const ConnectOptions& b = saved.connect;
    CHECK(a.subprotocols == b.subprotocols);
    REQUIRE(a.headers.size() == b.headers.size());
    for (std::size_t index = 0; index < a.headers.size(); ++index) {
        CHECK(a.headers[index].name == b.headers[index].name);
        CHECK(a.headers[index].value == b.headers[index].value);
    }
    CHECK(a.origin == b.origin);
    CHECK(a.connectTimeout == b.connectTimeout);
    CHECK(a.maxMessageBytes == b.maxMessageBytes);
    CHECK(a.compression == b.compression);
    CHECK(a.pingInterval == b.pingInterval);
    CHECK(a.autoPong == b.autoPong);
    CHECK(a.reconnect.enabled == b.reconnect.enabled);
    CHECK(a.reconnect.minDelay == b.reconnect.minDelay);
    CHECK(a.reconnect.maxDelay == b.reconnect.maxDelay);
    CHECK(a.reconnect.maxAttempts == b.reconnect.maxAttempts);
    CHECK(a.tls.caFile == b.tls.caFile);
    CHECK(a.tls.certFile == b.tls.certFile);
    CHECK(a.tls.keyFile == b.tls.keyFile);
    CHECK(a.tls.verifyCertificate == b.tls.verifyCertificate);
    CHECK(a.tls.verifyHostname == b.tls.verifyHostname);
    CHECK(loaded.urlHistory == saved.urlHistory);
    REQUIRE(loaded.snippets.size() == saved.snippets.size());
    for (std::size_t index = 0; index < loaded.snippets.size(); ++index) {
        CHECK(loaded.snippets[index].name == saved.snippets[index].name);
        CHECK(loaded.snippets[index].body == saved.snippets[index].body);
        CHECK(loaded.snippets[index].binary == saved.snippets[index].binary);
    }
    CHECK(loaded.theme == saved.theme);
    CHECK(loaded.window.known == saved.window.known);
    CHECK(loaded.window.x == saved.window.x);
    CHECK(loaded.window.y == saved.window.y);
    CHECK(loaded.window.width == saved.window.width);
    CHECK(loaded.window.height == saved.window.height);
    CHECK(loaded.log.maxRows == saved.log.maxRows);
    CHECK(loaded.log.maxBytes == saved.log.maxBytes);
    CHECK(loaded.logWidthShare == saved.logWidthShare);
    CHECK(loaded.sideTab == saved.sideTab);
    CHECK(loaded.mockRules == saved.mockRules);
}

bool runningAsRoot() {
    return ::geteuid() == 0;
}

}  // namespace

TEST_CASE("every setting survives a save and a load", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    const Settings saved = everyFieldChanged();
    REQUIRE(store.save(saved) == "");
    const LoadResult loaded = store.load();
    CHECK(loaded.problem == "");
    checkSame(loaded.settings, saved);
    CHECK(readFile(store.filePath()).find("\"version\": 1") != std::string::npos);

    SECTION("and the defaults too, window placement unknown included") {
        REQUIRE(store.save(Settings{}) == "");
        const LoadResult defaults = store.load();
        CHECK(defaults.problem == "");
        checkSame(defaults.settings, Settings{});
    }
}

TEST_CASE("a missing file gives the defaults and no problem", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path() + "/not/yet/made");
    const LoadResult loaded = store.load();
    CHECK(loaded.problem == "");
    checkSame(loaded.settings, Settings{});
}

TEST_CASE("a file that cannot be read is set aside: defaults, one line saying why", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    const std::string path = store.filePath();
    std::string contents;  // What the set-aside file must still hold.
    std::string why;

    SECTION("empty") {
        contents = "\n";
        why = "the file is empty";
    }
    SECTION("not JSON") {
        contents = "{\n  \"theme\": \"dark\",\n  oops\n}\n";
        why = "line 3, column 3: syntax error";
    }
    SECTION("a syntax error after a long string: told in a short line") {
        contents = "{\"theme\": \"" + std::string(100000, 'x') + "\x01\"}";
        why = "invalid string: control character U+0001 (SOH) must be escaped";
    }
    SECTION("JSON but not an object") {
        contents = "[1, 2, 3]";
        why = "expected a JSON object, found array";
    }
    SECTION("huge (5 MiB), refused unread") {
        contents = "{\"urlHistory\": [\"" + std::string(5u << 20, 'a') + "\"]}";
        why = "more than the 4194304 a settings file may";
    }
    if (!contents.empty()) writeFile(path, contents);

    SECTION("a directory at its path") {
        REQUIRE(::mkdir(path.c_str(), 0700) == 0);
        why = "it is a directory, not a file";
    }
    SECTION("a FIFO at its path, never opened") {
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        why = "it is a FIFO, not a regular file";
    }
    SECTION("no permission to read it") {
        if (runningAsRoot()) {
            WARN(
                "running as root, which reads a mode 000 file: the directory and FIFO cases "
                "cover unreadable files here");
            return;
        }
        contents = "{}";
        writeFile(path, contents);
        REQUIRE(::chmod(path.c_str(), 0) == 0);
        why = "Permission denied";
    }
    REQUIRE_FALSE(why.empty());

    // A store that blocked on the FIFO would hang the suite: give it 5 s.
    auto loading = std::async(std::launch::async, [&] { return store.load(); });
    const bool returned = loading.wait_for(5s) == std::future_status::ready;
    if (!returned) ::close(::open(path.c_str(), O_RDWR | O_NONBLOCK));  // Unblocks it.
    REQUIRE(returned);
    const LoadResult loaded = loading.get();

    INFO(loaded.problem);
    CHECK(loaded.problem.rfind(path + ": ", 0) == 0);
    CHECK(loaded.problem.find(why) != std::string::npos);
    CHECK(loaded.problem.find("set aside as settings.json.corrupt-") != std::string::npos);
    CHECK(loaded.problem.find(", starting with defaults") != std::string::npos);
    CHECK(loaded.problem.find('\n') == std::string::npos);
    CHECK(loaded.problem.size() < path.size() + 300);
    checkSame(loaded.settings, Settings{});

    const std::string aside = setAsideFile(directory.path());
    REQUIRE_FALSE(aside.empty());
    CHECK_FALSE(fs::exists(fs::symlink_status(path)));
    if (!contents.empty()) {
        ::chmod((directory.path() + "/" + aside).c_str(), 0600);
        CHECK(readFile(directory.path() + "/" + aside) == contents);
    }

    // The next save writes a fresh file beside the set-aside one, and it loads cleanly.
    REQUIRE(store.save(everyFieldChanged()) == "");
    const LoadResult again = store.load();
    CHECK(again.problem == "");
    checkSame(again.settings, everyFieldChanged());
    CHECK(setAsideFile(directory.path()) == aside);
}

TEST_CASE("a second bad file is set aside beside the first, not over it", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    writeFile(store.filePath(), "first");
    CHECK_FALSE(store.load().problem.empty());
    writeFile(store.filePath(), "second");
    CHECK_FALSE(store.load().problem.empty());
    std::vector<std::string> kept;
    for (const std::string& name : entries(directory.path()))
        kept.push_back(readFile(directory.path() + "/" + name));
    std::sort(kept.begin(), kept.end());
    CHECK(kept == std::vector<std::string>{"first", "second"});
}

TEST_CASE("a bad field is dropped and named, the rest of the file is kept", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    std::string field;  // The JSON that goes wrong.
    std::string named;  // What the problem must say.
    std::string connect = R"("headers": ["X-A: 1", "X-B: 2"], "subprotocols": ["chat"])";

    SECTION("a header parseHeader refuses, among good ones") {
        connect =
            R"("headers": ["X-A: 1", "Host: evil.example", "X-B: 2"], "subprotocols": ["chat"])";
        named = "connect.headers[1]: ";
    }
    SECTION("a subprotocol checkSubprotocol refuses") {
        connect = R"("headers": ["X-A: 1", "X-B: 2"], "subprotocols": ["chat", "two words"])";
        named = "connect.subprotocols[1]: ";
    }
    SECTION("a negative timeout") {
        connect += R"(, "connectTimeoutMs": -5)";
        named = "connect.connectTimeoutMs: -5 must be from 1 to 3600000 ms";
    }
    SECTION("too few log rows") {
        field = R"("log": {"maxRows": 3})";
        named = "log.maxRows: 3 must be from 100 to 10000000 rows";
    }
    SECTION("a reconnect min delay above its max delay") {
        connect += R"(, "reconnect": {"minDelayMs": 5000, "maxDelayMs": 1000})";
        named = "connect.reconnect: minDelayMs 5000 is above maxDelayMs 1000";
    }
    SECTION("a window too small to use") {
        field = R"("window": {"x": 10, "y": 10, "width": 120, "height": 90})";
        named = "window.width: 120 must be from 200 to 16384 pixels";
    }
    SECTION("an absurd window") {
        field = R"("window": {"x": 10, "y": 10, "width": 800, "height": 1000000000000})";
        named = "window.height: 1000000000000 must be from 150 to 16384 pixels";
    }
    SECTION("a wrong type") {
        field = R"("theme": 5)";
        named = "theme: expected a string, found number";
    }
    SECTION("an unknown theme") {
        field = R"("theme": "purple")";
        named = "theme: 'purple' is not \"dark\" or \"light\"";
    }
    SECTION("autoPong not a boolean") {
        connect += R"(, "autoPong": "no")";
        named = "connect.autoPong: expected true or false, found string";
    }
    SECTION("mock rules not a string") {
        field = R"("mockRules": {"rules": []})";
        named = "mockRules: expected a string, found object";
    }
    SECTION("mock rules over 1 MiB") {
        field = "\"mockRules\": \"" + std::string(kMaxRulesFileBytes + 1, ' ') + "\"";
        named = "mockRules: 1048577 bytes, more than the 1048576 rules may hold";
    }
    const std::string text = "{\"version\": 1, \"connect\": {" + connect +
                             "}, \"urlHistory\": [\"ws://kept/\"]" +
                             (field.empty() ? "" : ", " + field) + "}";
    writeFile(store.filePath(), text);

    const LoadResult loaded = store.load();
    INFO(text);
    INFO(loaded.problem);
    CHECK(loaded.problem.find(named) != std::string::npos);
    CHECK(loaded.problem.find(", kept the rest") != std::string::npos);
    CHECK(loaded.problem.find('\n') == std::string::npos);
    const auto& headers = loaded.settings.connect.headers;
    REQUIRE(headers.size() == 2);
    CHECK(headers[0].name == "X-A");
    CHECK(headers[1].name == "X-B");
    CHECK(loaded.settings.connect.subprotocols == std::vector<std::string>{"chat"});
    CHECK(loaded.settings.urlHistory == std::vector<std::string>{"ws://kept/"});
    CHECK(readFile(directory.path() + "/" + setAsideFile(directory.path())) == text);
    // What was refused is at its default.
    CHECK(loaded.settings.connect.connectTimeout == ConnectOptions{}.connectTimeout);
    CHECK(loaded.settings.log.maxRows == LogLimits{}.maxRows);
    CHECK(loaded.settings.connect.reconnect.minDelay == ReconnectOptions{}.minDelay);
    CHECK_FALSE(loaded.settings.window.known);  // A bad part leaves the window manager to it.
    CHECK(loaded.settings.window.height == WindowPlacement{}.height);
    CHECK(loaded.settings.theme == Theme::kDark);
    CHECK(loaded.settings.connect.autoPong);
    CHECK(loaded.settings.mockRules.empty());
}

TEST_CASE("unknown keys are ignored and missing fields keep their defaults", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    writeFile(
        store.filePath(),
        R"({"version": 1, "futureFeature": {"a": [1]}, "theme": "light", "connect": {"x": 1}})");
    const LoadResult loaded = store.load();
    CHECK(loaded.problem == "");
    CHECK(loaded.settings.theme == Theme::kLight);
    Settings expected;
    expected.theme = Theme::kLight;
    checkSame(loaded.settings, expected);
    CHECK(entries(directory.path()) == std::vector<std::string>{"settings.json"});
}

TEST_CASE("a URL history longer than 20 keeps the first 20 and says so", "[settings]") {
    TemporaryDirectory directory;
    const SettingsStore store(directory.path());
    std::string urls;
    for (int index = 0; index < 25; ++index)
        urls += (index ? ", \"ws://host/" : "\"ws://host/") + std::to_string(index) + "\"";
    writeFile(store.filePath(), "{\"urlHistory\": [" + urls + "]}");
    const LoadResult loaded = store.load();
    REQUIRE(loaded.settings.urlHistory.size() == Settings::kMaxUrlHistory);
    CHECK(loaded.settings.urlHistory.front() == "ws://host/0");
    CHECK(loaded.settings.urlHistory.back() == "ws://host/19");
    CHECK(loaded.problem.find("urlHistory: 25 entries, kept the first 20") != std::string::npos);
}

TEST_CASE("a save is atomic: a new file in a 0700 directory, no temporary left", "[settings]") {
    TemporaryDirectory directory;
    const std::string configDirectory = directory.path() + "/config/wsdemo";
    const SettingsStore store(configDirectory);
    REQUIRE(store.save(Settings{}) == "");
    REQUIRE(store.save(everyFieldChanged()) == "");
    CHECK(entries(configDirectory) == std::vector<std::string>{"settings.json"});
    struct stat info {};
    REQUIRE(::stat(configDirectory.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    checkSame(store.load().settings, everyFieldChanged());
}

TEST_CASE("a save that cannot write returns why, throws nothing, leaves nothing", "[settings]") {
    TemporaryDirectory directory;
    std::string storeDirectory = directory.path() + "/wsdemo";
    SECTION("a file where the directory should be") {
        writeFile(directory.path() + "/file", "x");
        storeDirectory = directory.path() + "/file/wsdemo";
    }
    SECTION("a directory where settings.json should be") {
        REQUIRE(fs::create_directories(storeDirectory + "/settings.json/inside"));
    }
    SECTION("a read-only directory") {
        if (runningAsRoot()) {
            WARN("running as root, which writes into a mode 0500 directory: skipped");
            return;
        }
        REQUIRE(fs::create_directories(storeDirectory));
        REQUIRE(::chmod(storeDirectory.c_str(), 0500) == 0);
    }
    const SettingsStore store(storeDirectory);
    std::string error;
    REQUIRE_NOTHROW(error = store.save(everyFieldChanged()));
    INFO(error);
    CHECK(error.rfind("cannot save settings to " + store.filePath() + ": ", 0) == 0);
    CHECK(error.find('\n') == std::string::npos);
    if (fs::is_directory(storeDirectory))
        for (const std::string& name : entries(storeDirectory))
            CHECK(name.find(".tmp-") == std::string::npos);
}

TEST_CASE("the configuration directory follows XDG_CONFIG_HOME, else HOME", "[settings]") {
    ScopedEnvironment home("HOME", "/home/someone");
    SECTION("an absolute XDG_CONFIG_HOME") {
        ScopedEnvironment xdg("XDG_CONFIG_HOME", "/tmp/xdg-config");
        CHECK(configDirectory() == "/tmp/xdg-config/wsdemo");
    }
    SECTION("a relative XDG_CONFIG_HOME is ignored, as the XDG spec says") {
        ScopedEnvironment xdg("XDG_CONFIG_HOME", "relative/config");
        CHECK(configDirectory() == "/home/someone/.config/wsdemo");
    }
    SECTION("no XDG_CONFIG_HOME") {
        ScopedEnvironment xdg("XDG_CONFIG_HOME", std::nullopt);
        CHECK(configDirectory() == "/home/someone/.config/wsdemo");
    }
    SECTION("an empty XDG_CONFIG_HOME") {
        ScopedEnvironment xdg("XDG_CONFIG_HOME", "");
        CHECK(configDirectory() == "/home/someone/.config/wsdemo");
    }
}

TEST_CASE("settings saved under XDG_CONFIG_HOME load back from there", "[settings]") {
    TemporaryDirectory directory;
    ScopedEnvironment xdg("XDG_CONFIG_HOME", directory.path());
    REQUIRE(SettingsStore(configDirectory()).save(everyFieldChanged()) == "");
    CHECK(fs::is_regular_file(directory.path() + "/wsdemo/settings.json"));
    checkSame(SettingsStore(configDirectory()).load().settings, everyFieldChanged());
}
