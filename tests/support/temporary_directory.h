// A directory of its own under /tmp for one test, removed with everything in it.
#pragma once

#include <string>

class TemporaryDirectory {
public:
    explicit TemporaryDirectory(const std::string& prefix = "wsdemo-test");
    // Gives back the permissions a test took away, then removes it all.
    ~TemporaryDirectory();

    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};
