#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "local_time.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

// Sets TZ for one test and gives the old value back.
class TimeZone {
public:
    explicit TimeZone(const char* zone) {
        if (const char* saved = std::getenv("TZ")) saved_ = saved;
        use(zone);
    }
    ~TimeZone() {
        if (saved_)
            setenv("TZ", saved_->c_str(), 1);
        else
            unsetenv("TZ");
        tzset();
    }
    void use(const char* zone) {
        setenv("TZ", zone, 1);
        tzset();
    }

private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("row times read hh:mm:ss.mmm in local time", "[local_time]") {
    TimeZone zone("UTC");
    const auto time = std::chrono::system_clock::from_time_t(13 * 3600 + 4 * 60 + 5) + 42ms;
    CHECK(timeOfDay(time) == "13:04:05.042");
    zone.use("UTC-2");  // POSIX signs: two hours east.
    CHECK(timeOfDay(time) == "15:04:05.042");
}

TEST_CASE("file name stamps read yyyymmdd-hhmmss in local time", "[local_time]") {
    TimeZone zone("UTC");
    // 2026-11-29 13:04:05 UTC.
    const auto time = std::chrono::system_clock::from_time_t(1795957445) + 999ms;
    CHECK(fileNameStamp(time) == "20261129-130405");
    zone.use("UTC+14");  // Fourteen hours west: the day before.
    CHECK(fileNameStamp(time) == "20261128-230405");
}
