// Wall-clock time in the user's time zone, as the window shows it and as file names carry it.
#pragma once

#include <chrono>
#include <string>

namespace wsdemo {

// "14:03:07.042": a log row's time.
std::string timeOfDay(std::chrono::system_clock::time_point time);
// "20261129-140307": sorts by time in a file name ("wsdemo-20261129-140307.jsonl").
std::string fileNameStamp(std::chrono::system_clock::time_point time);

}  // namespace wsdemo
