#include "local_time.h"

#include <cstdio>
#include <ctime>

namespace wsdemo {

namespace {

std::tm localTime(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&seconds, &local);
    return local;
}

}  // namespace

std::string timeOfDay(std::chrono::system_clock::time_point time) {
    const std::tm local = localTime(time);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()) % 1000;
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min,
                  local.tm_sec, static_cast<int>((millis.count() + 1000) % 1000));
    return text;
}

std::string fileNameStamp(std::chrono::system_clock::time_point time) {
    const std::tm local = localTime(time);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
    return text;
}

}  // namespace wsdemo
