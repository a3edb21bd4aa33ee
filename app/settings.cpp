#include "settings.h"

#include <algorithm>

namespace wsdemo {

std::string checkRange(long long value, const IntRange& range) {
    if (value >= range.min && value <= range.max) return {};
    return "must be from " + std::to_string(range.min) + " to " + std::to_string(range.max) + " " +
           range.unit;
}

void rememberUrl(Settings& settings, const std::string& url) {
    auto& history = settings.urlHistory;
    history.erase(std::remove(history.begin(), history.end(), url), history.end());
    history.insert(history.begin(), url);
    if (history.size() > Settings::kMaxUrlHistory) history.resize(Settings::kMaxUrlHistory);
}

}  // namespace wsdemo
