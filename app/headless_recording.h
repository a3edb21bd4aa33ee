// --headless --record FILE: every event of every connection, to a file. JSON Lines go out as
// events come (a crash keeps what came before); HAR is one document, written at the end. A file
// that cannot be written is said once on stderr, and the connection goes on regardless.
#pragma once

#include <string>

#include "wsdemo/channel.h"
#include "wsdemo/recording.h"

namespace wsdemo {

class HeadlessRecording {
public:
    // Opens a JSON Lines file at once; a HAR file is only written by finish().
    explicit HeadlessRecording(std::string path);

    // Before each Channel::connect(): what the connection asks for, recorded when it opens.
    void willConnect(const std::string& url, const ConnectOptions& options);
    // Every event drained, in order; `timed` for the MessageSent of a timed message.
    void add(const ChannelEvent& event, bool timed);
    // HAR: writes the file.
    void finish();

private:
    void append(const RecordedEvent& event);
    void fail(const std::string& why);

    const std::string path_;
    const RecordingFormat format_;
    // Turns ChannelEvents into RecordedEvents (and, for HAR, keeps them, within its limits).
    Recorder recorder_;
    const WallClockMapping wallTimeOf_;
    JsonLinesWriter writer_;
    bool failed_ = false;  // Said; nothing more is written.
    bool cutShortSaid_ = false;
};

}  // namespace wsdemo
