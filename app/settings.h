// What the window remembers between runs (settings_store.h reads and writes it as JSON under
// $XDG_CONFIG_HOME/wsdemo/). Plain values: no Dear ImGui, no file access here.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/recording.h"

namespace wsdemo {

struct Snippet {
    std::string name;
    std::string body;
    bool binary = false;  // body is hex, as typed in the composer's Binary mode.
};

enum class Theme { kDark, kLight };

struct WindowPlacement {
    bool known = false;  // False until the first run saves one: the window manager places it.
    int x = 0, y = 0;
    int width = 960, height = 720;  // Screen coordinates (before content scale).
};

struct LogLimits {
    std::size_t maxRows = 10000;
    std::size_t maxBytes = 256u << 20;  // Of message data held by the log.

    // The recording, a recording opened and a replay's replies are bounded as the log is.
    RecordingLimits forRecordings() const { return {maxRows, maxBytes}; }
};

struct Settings {
    static constexpr std::size_t kMaxUrlHistory = 20;

    ConnectOptions connect;               // Used at the next Connect.
    std::vector<std::string> urlHistory;  // Most recent first, no duplicates, at most 20.
    std::vector<Snippet> snippets;
    Theme theme = Theme::kDark;
    WindowPlacement window;
    LogLimits log;
    // Layout: the share of the width the log takes beside the side panel, and the side
    // panel's tab (one of limits::kSideTabs).
    float logWidthShare = 0.6f;
    std::string sideTab = "Inspector";
    // The Mock panel's rules for the embedded echo server, as typed (mock_rules.h); at most
    // kMaxRulesFileBytes. Empty: it echoes.
    std::string mockRules;
};

// The values the settings file and the settings panel accept, kept in one place for both.
struct IntRange {
    long long min;
    long long max;
    const char* unit;  // "ms", "bytes", ...
};
namespace limits {
inline constexpr IntRange kConnectTimeoutMs{1, 3'600'000, "ms"};
inline constexpr IntRange kMaxMessageBytes{1, 1LL << 30, "bytes"};
inline constexpr IntRange kPingIntervalMs{0, 86'400'000, "ms"};  // 0: no keepalive.
inline constexpr IntRange kReconnectDelayMs{0, 3'600'000, "ms"};
inline constexpr IntRange kReconnectAttempts{0, 1'000'000, "attempts"};  // 0: no limit.
inline constexpr IntRange kWindowWidth{200, 16384, "pixels"};
inline constexpr IntRange kWindowHeight{150, 16384, "pixels"};
inline constexpr IntRange kWindowPosition{-32768, 32768, "pixels"};
inline constexpr IntRange kLogRows{100, 10'000'000, "rows"};
inline constexpr IntRange kLogBytes{1LL << 20, 64LL << 30, "bytes"};
inline constexpr float kMinLogWidthShare = 0.1f, kMaxLogWidthShare = 0.9f;
inline constexpr const char* kSideTabs[] = {"Inspector", "Stats",    "Close",
                                            "Record",    "Settings", "Mock"};
}  // namespace limits

// Empty when `value` lies in `range`, else why not: "must be from 1 to 3600000 ms".
std::string checkRange(long long value, const IntRange& range);

// Puts `url` first in the history, removing an earlier copy, keeping at most kMaxUrlHistory.
void rememberUrl(Settings& settings, const std::string& url);

}  // namespace wsdemo
