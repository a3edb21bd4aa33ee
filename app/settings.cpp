#include "settings.h"

#include <algorithm>

namespace wsdemo {

void rememberUrl(Settings& settings, const std::string& url) {
    auto& history = settings.urlHistory;
    history.erase(std::remove(history.begin(), history.end(), url), history.end());
    history.insert(history.begin(), url);
    if (history.size() > Settings::kMaxUrlHistory) history.resize(Settings::kMaxUrlHistory);
}

}  // namespace wsdemo
