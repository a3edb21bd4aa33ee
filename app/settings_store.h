// Reads and writes Settings as settings.json in the configuration directory. A bad file never
// stops the app: what can be read is kept, the rest is defaults, the file is set aside (never
// deleted) and the problem is told in one line for the window to show.
#pragma once

#include <cstddef>
#include <string>

#include "settings.h"

namespace wsdemo {

// $XDG_CONFIG_HOME/wsdemo, else $HOME/.config/wsdemo (a relative XDG_CONFIG_HOME is ignored, as
// the XDG spec says), else the passwd entry's home. Empty when there is no home at all.
std::string configDirectory();

struct LoadResult {
    Settings settings;
    std::string problem;  // Empty when the file was fine or absent; else one line.
};

class SettingsStore {
public:
    static constexpr const char* kFileName = "settings.json";
    static constexpr int kVersion = 1;
    // Larger files are refused before they are read. Room for mock rules of up to
    // kMaxRulesFileBytes (mock_rules.h), which grow as JSON escapes them, and the rest.
    static constexpr std::size_t kMaxFileBytes = 4u << 20;

    explicit SettingsStore(std::string directory);

    std::string filePath() const;
    // Never throws and never blocks (a FIFO at the path is refused unopened).
    LoadResult load() const;
    // Atomic: a temporary file in the same directory, fsync, rename over settings.json. Creates
    // the directory (mode 0700) if needed. Empty on success, else one line; never throws.
    std::string save(const Settings& settings) const;

private:
    // Renames the bad file to settings.json.corrupt-YYYYMMDD-HHMMSS; says how it went.
    std::string setAside() const;

    std::string directory_;
};

}  // namespace wsdemo
