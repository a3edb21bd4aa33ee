// parseClosePayload(): a peer's close frame payload. Checked against RFC 6455 5.5.1 spelled
// out: empty, or a sendable code and a UTF-8 reason; else 1002 for the code, 1007 for the text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "support.h"
#include "wsdemo/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view payload = fuzz::asText(data, size);
    const auto result = wsdemo::parseClosePayload(payload);

    if (const auto* error = std::get_if<wsdemo::ClosePayloadError>(&result)) {
        fuzz::check(fuzz::isPrintableAsciiLine(error->error) && !error->error.empty(),
                    "a close payload error is one printable line");
        if (size == 1) {
            fuzz::check(error->answerCode == wsdemo::CloseCode::kProtocolError,
                        "a 1-byte payload is answered with 1002");
            return 0;
        }
        fuzz::check(size >= 2, "an empty payload is valid");
        const auto code = static_cast<uint16_t>(data[0] << 8 | data[1]);
        if (!wsdemo::isSendableCloseCode(code)) {
            fuzz::check(error->answerCode == wsdemo::CloseCode::kProtocolError,
                        "an invalid code is answered with 1002");
        } else {
            fuzz::check(!fuzz::referenceIsValidUtf8(payload.substr(2)),
                        "a sendable code with a UTF-8 reason is no error");
            fuzz::check(error->answerCode == wsdemo::CloseCode::kInvalidPayload,
                        "a reason that is not UTF-8 is answered with 1007");
        }
        return 0;
    }

    const auto& close = std::get<wsdemo::ClosePayload>(result);
    if (size == 0) {
        fuzz::check(close.code == wsdemo::CloseCode::kNoStatus && close.reason.empty(),
                    "an empty payload is 1005 without a reason");
        return 0;
    }
    fuzz::check(size >= 2, "a 1-byte payload is an error");
    fuzz::check(close.code == (data[0] << 8 | data[1]), "the code is the first two bytes");
    fuzz::check(wsdemo::isSendableCloseCode(close.code), "the code is one a peer may send");
    fuzz::check(close.reason == payload.substr(2), "the reason is the rest");
    fuzz::check(fuzz::referenceIsValidUtf8(close.reason), "the reason is UTF-8");
    return 0;
}
