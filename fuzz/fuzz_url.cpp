// parseWsUrl(): the --url argument. A URL it accepts prints (toString) as one it accepts again,
// unchanged; a URL it refuses gets a one-line reason that quotes the input safely.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "support.h"
#include "wsdemo/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const auto result = wsdemo::parseWsUrl(fuzz::asText(data, size));
    if (const auto* error = std::get_if<std::string>(&result)) {
        fuzz::check(!error->empty(), "a URL error says why");
        fuzz::check(fuzz::isPrintableAsciiLine(*error), "a URL error is printable ASCII");
        return 0;
    }
    const auto& url = std::get<wsdemo::WsUrl>(result);
    fuzz::check(!url.host.empty(), "a parsed URL has a host");
    fuzz::check(url.port != 0, "a parsed URL has a port");
    fuzz::check(!url.path.empty() && url.path.front() == '/', "a parsed path starts with '/'");

    const auto again = wsdemo::parseWsUrl(url.toString());
    const auto* same = std::get_if<wsdemo::WsUrl>(&again);
    fuzz::check(same != nullptr, "toString() of a parsed URL parses");
    fuzz::check(same->secure == url.secure && same->host == url.host && same->port == url.port &&
                    same->path == url.path,
                "toString() of a parsed URL parses to the same URL");
    return 0;
}
