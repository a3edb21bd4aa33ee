// The channel's handshake options, reconnect and name resolution, against python-websockets
// peers that report what they saw (tests/peers/scripted_server.py) and injected resolvers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/channel_probe.h"
#include "support/messages.h"
#include "support/scripted_server.h"
#include "wsdemo/text.h"

using namespace wsdemo;
using wsdemo::test::kCerts;
using namespace wsdemo::test;
using namespace std::chrono_literals;

namespace {

std::optional<ChannelStatus> firstOpen(const ChannelProbe& probe) {
    for (const auto& status : probe.states())
        if (status.state == ReadyState::kOpen) return status;
    return std::nullopt;
}

// Bytes that deflate cannot shrink much, so that compression does real work both ways.
std::string noise(std::size_t size) {
    std::string bytes(size, '\0');
    uint32_t state = 2463534242u;
    for (auto& byte : bytes) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        byte = static_cast<char>(state & 0xff);
    }
    return bytes;
}

// Where `needle` is in `text`, failing the test if it is not there.
std::size_t positionOf(const std::string& text, const std::string& needle) {
    INFO("looking for " << needle << " in " << text);
    const auto position = text.find(needle);
    REQUIRE(position != std::string::npos);
    return position;
}

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

}  // namespace

TEST_CASE("the server's pick among the offered subprotocols is reported", "[channel][peer]") {
    ConnectOptions options;
    options.subprotocols = {"chat.v1", "chat.v2", "chat.v3"};

    SECTION("the server picks the second one offered") {
        ScriptedServer server({"--pick", "chat.v2"});
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        CHECK(probe.channel().status().protocol == "chat.v2");
        REQUIRE(firstOpen(probe));
        CHECK(firstOpen(probe)->protocol == "chat.v2");
        const std::string handshake = askServer(probe, R"({"op":"handshake"})");
        // All three offered, in our order; the server agreed to the one we report.
        const auto offered = positionOf(handshake, jsonString("Sec-WebSocket-Protocol"));
        CHECK(positionOf(handshake, "chat.v1") > offered);
        CHECK(positionOf(handshake, "chat.v1") < positionOf(handshake, "chat.v2"));
        CHECK(positionOf(handshake, "chat.v2") < positionOf(handshake, "chat.v3"));
        CHECK_THAT(handshake, Catch::Contains(R"("subprotocol": "chat.v2")"));
    }
    SECTION("a server that supports none of them picks none") {
        ScriptedServer server({"--pick", "chat.v9"});
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        CHECK(probe.channel().status().protocol.empty());
        REQUIRE(firstOpen(probe));
        CHECK(firstOpen(probe)->protocol.empty());
        CHECK_THAT(askServer(probe, R"({"op":"handshake"})"),
                   Catch::Contains(R"("subprotocol": null)"));
    }
    SECTION("nothing offered, nothing picked, no header sent") {
        ScriptedServer server({"--pick", "chat.v1"});
        ChannelProbe probe(server.url());
        REQUIRE(probe.waitForOpen());
        CHECK(probe.channel().status().protocol.empty());
        const std::string handshake = askServer(probe, R"({"op":"handshake"})");
        CHECK_THAT(handshake, !Catch::Contains("Sec-WebSocket-Protocol"));
        CHECK_THAT(handshake, Catch::Contains(R"("subprotocol": null)"));
    }
}

TEST_CASE("extra headers and Origin arrive exactly as given", "[channel][peer]") {
    ScriptedServer server;
    ConnectOptions options;
    options.headers = {{"X-Trace-Id", "abc 123"},
                       {"Authorization", "Bearer t0k3n.with/odd=chars"},
                       {"x-lower-case", "a, b;c"}};
    options.origin = "https://app.example:8443";
    ChannelProbe probe(server.url() + "some/path?q=1&r=two", options);
    REQUIRE(probe.waitForOpen());
    const std::string handshake = askServer(probe, R"({"op":"handshake"})");
    INFO(handshake);
    CHECK_THAT(handshake, Catch::Contains(R"("path": "/some/path?q=1&r=two")"));
    CHECK_THAT(handshake, Catch::Contains(R"("origin": "https://app.example:8443")"));
    CHECK(countOf(handshake, jsonString("Origin")) == 1);
    CHECK(countOf(handshake, jsonPair("Host", "127.0.0.1:" + server.port())) == 1);
    // Each once, with its name's case and its value untouched, in the order given.
    std::size_t previous = 0;
    for (const auto& header : options.headers) {
        CHECK(countOf(handshake, jsonString(header.name)) == 1);
        const auto at = positionOf(handshake, jsonPair(header.name, header.value));
        CHECK(at > previous);
        previous = at;
    }
}

TEST_CASE("permessage-deflate is offered by default and can be turned off", "[channel][peer]") {
    SECTION("offered and negotiated with a server that accepts it") {
        ScriptedServer server({"--deflate"});
        ChannelProbe probe(server.url());
        REQUIRE(probe.waitForOpen());
        CHECK_THAT(probe.channel().status().extensions, Catch::StartsWith("permessage-deflate"));
        REQUIRE(firstOpen(probe));
        CHECK_THAT(firstOpen(probe)->extensions, Catch::StartsWith("permessage-deflate"));
        const std::string handshake = askServer(probe, R"({"op":"handshake"})");
        CHECK_THAT(handshake, Catch::Contains(R"("offered_extensions": ["permessage-deflate)"));
        CHECK_THAT(handshake, Catch::Contains(R"("extensions": "permessage-deflate)"));
    }
    SECTION("offered, and not in use when the server refuses it") {
        ScriptedServer server;
        ChannelProbe probe(server.url());
        REQUIRE(probe.waitForOpen());
        CHECK(probe.channel().status().extensions.empty());
        const std::string handshake = askServer(probe, R"({"op":"handshake"})");
        CHECK_THAT(handshake, Catch::Contains(R"("offered_extensions": ["permessage-deflate)"));
        CHECK_THAT(handshake, Catch::Contains(R"("extensions": null)"));
    }
    SECTION("not offered with compression = false") {
        ScriptedServer server({"--deflate"});
        ConnectOptions options;
        options.compression = false;
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        CHECK(probe.channel().status().extensions.empty());
        const std::string handshake = askServer(probe, R"({"op":"handshake"})");
        CHECK_THAT(handshake, Catch::Contains(R"("offered_extensions": [])"));
        CHECK_THAT(handshake, Catch::Contains(R"("extensions": null)"));
    }
}

TEST_CASE("messages round-trip exactly with permessage-deflate in use", "[channel][peer]") {
    ScriptedServer server({"--deflate"});
    ChannelProbe probe(server.url());
    REQUIRE(probe.waitForOpen());
    REQUIRE_THAT(probe.channel().status().extensions, Catch::StartsWith("permessage-deflate"));
    const std::string kilobyteText(1024, 'z');  // Compresses to almost nothing.
    const std::vector<std::pair<Message::Type, std::string>> sent{
        {Message::Type::kText, ""},
        {Message::Type::kBinary, ""},
        {Message::Type::kText, kilobyteText},
        {Message::Type::kBinary, noise(1024)},
        {Message::Type::kText, std::string(1u << 20, 'a')},
        {Message::Type::kBinary, noise(1u << 20)},
    };
    for (const auto& [type, data] : sent)
        REQUIRE((type == Message::Type::kText
                     ? probe.channel().send(data)
                     : probe.channel().sendBinary(data)) == SendResult::kQueued);
    REQUIRE(probe.waitForMessages(sent.size(), 30s));
    const auto messages = probe.messages();
    REQUIRE(messages.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        INFO("message " << i << " of " << sent[i].second.size() << " bytes");
        CHECK(messages[i]->type == sent[i].first);
        CHECK(messages[i]->data.size() == sent[i].second.size());
        CHECK(messages[i]->data == sent[i].second);
    }
}

TEST_CASE("messages queued before the upgrade all go out with permessage-deflate in use",
          "[channel][peer]") {
    // The resolver holds the attempt until every message is queued, so that the first
    // WRITEABLE finds them all: the empty ones go out raw, the next through lws's compressor.
    ScriptedServer server({"--deflate"});
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    ChannelProbe probe(ChannelLimits{}, [released](const std::string& host) {
        released.wait();
        return resolveWithGetaddrinfo(host);
    });
    probe.channel().connect(server.url());
    const std::vector<std::string> sent{"", "", "after two empty messages"};
    for (const std::string& text : sent) REQUIRE(probe.channel().send(text) == SendResult::kQueued);
    release.set_value();
    REQUIRE(probe.waitForMessages(sent.size()));
    REQUIRE_THAT(probe.channel().status().extensions, Catch::StartsWith("permessage-deflate"));
    const auto messages = probe.messages();
    for (std::size_t i = 0; i < sent.size(); ++i) CHECK(messages[i]->data == sent[i]);
}

// ---------------------------------------------------------------------------------------------
// Reconnect: the server drops the connection ("drop") and refuses new ones for a while.

namespace {

ConnectOptions reconnecting(unsigned maxAttempts = 0) {
    ConnectOptions options;
    options.reconnect.enabled = true;
    options.reconnect.minDelay = 200ms;
    options.reconnect.maxDelay = 800ms;
    options.reconnect.maxAttempts = maxAttempts;
    return options;
}

// The ceiling of reconnectDelay() for this attempt: min(maxDelay, minDelay * 2^attempt).
std::chrono::milliseconds ceilingOf(const ReconnectOptions& options, unsigned attempt) {
    auto ceiling = options.minDelay;
    for (unsigned i = 0; i < attempt && ceiling < options.maxDelay; ++i) ceiling *= 2;
    return std::min(ceiling, options.maxDelay);
}

struct Scheduled {
    SteadyClock::time_point at;
    ReconnectScheduled what;
};

std::vector<Scheduled> scheduledReconnects(const ChannelProbe& probe) {
    std::vector<Scheduled> found;
    for (const auto& event : probe.events())
        if (const auto* reconnect = std::get_if<ReconnectScheduled>(&event.what))
            found.push_back({event.at, *reconnect});
    return found;
}

// The times of the StateChanged events to `state`, in order.
std::vector<SteadyClock::time_point> timesOf(const ChannelProbe& probe, ReadyState state) {
    std::vector<SteadyClock::time_point> found;
    for (const auto& event : probe.events())
        if (const auto* changed = std::get_if<StateChanged>(&event.what))
            if (changed->status.state == state) found.push_back(event.at);
    return found;
}

uint64_t connectionOfLastOpen(const ChannelProbe& probe) {
    uint64_t connection = 0;
    for (const auto& event : probe.events())
        if (const auto* changed = std::get_if<StateChanged>(&event.what))
            if (changed->status.state == ReadyState::kOpen) connection = event.connection;
    return connection;
}

bool hasReconnect(const std::vector<ChannelEvent>& events) {
    return std::any_of(events.begin(), events.end(), [](const ChannelEvent& event) {
        return std::holds_alternative<ReconnectScheduled>(event.what);
    });
}

}  // namespace

TEST_CASE("a dropped connection comes back after backoff delays within their bounds",
          "[channel][peer][reconnect]") {
    ScriptedServer server;
    const ConnectOptions options = reconnecting();
    ChannelProbe probe(server.url(), options);
    REQUIRE(probe.waitForOpen());
    // Refused for 2 s: attempts 1 and 2 (due within 0.4 s and 1.2 s) fail at the TCP stage.
    probe.channel().send(R"(!{"op":"drop","refuse_ms":2000})");
    REQUIRE(probe.waitForOpen(15s, 1));

    const auto reconnects = scheduledReconnects(probe);
    REQUIRE(reconnects.size() >= 3);
    for (std::size_t i = 0; i < reconnects.size(); ++i) {
        const auto& [at, what] = reconnects[i];
        INFO("reconnect " << i << ": attempt " << what.attempt << ", " << what.delay.count()
                          << " ms");
        CHECK(what.attempt == i + 1);
        CHECK(what.delay >= options.reconnect.minDelay);
        CHECK(what.delay <= ceilingOf(options.reconnect, what.attempt));
    }
    // Every attempt but the last failed at the TCP stage; none before its delay was over.
    const auto closes = timesOf(probe, ReadyState::kClosed);
    const auto opens = timesOf(probe, ReadyState::kOpen);
    REQUIRE(closes.size() == reconnects.size());
    REQUIRE(opens.size() == 2);
    for (const auto& status : probe.states())
        if (status.state == ReadyState::kClosed && status.closeCode == 0)
            CHECK(status.failure == FailureStage::kTcp);
    std::chrono::milliseconds delays{0};
    for (const auto& reconnect : reconnects) delays += reconnect.what.delay;
    CHECK(opens[1] - closes[0] >= delays);
    CHECK(connectionOfLastOpen(probe) == reconnects.size() + 1);

    // The new connection works, and the server saw it arrive no sooner than the last delay.
    probe.channel().send("back again");
    REQUIRE(probe.waitForMessages(1));
    CHECK(probe.messages()[0]->data == "back again");
    const std::string connections = askServer(probe, R"({"op":"connections"})");
    INFO(connections);
    const auto accepted = jsonNumbers(connections, "accepted");
    REQUIRE(accepted.size() == 2);
    const auto& last = reconnects.back();
    CHECK(accepted[1] >= monotonicSeconds(last.at + last.what.delay) - 0.001);
    const auto dropped = jsonNumbers(connections, "dropped");
    REQUIRE(dropped.size() == 1);
    CHECK(accepted[1] - dropped[0] >= 2.0 - 0.001);  // Not while the listener was closed.
}

TEST_CASE("messages sent while waiting to reconnect arrive after it, in order",
          "[channel][peer][reconnect]") {
    ScriptedServer server;
    ChannelProbe probe(server.url(), reconnecting());
    REQUIRE(probe.waitForOpen());
    probe.channel().send(R"(!{"op":"drop","refuse_ms":500})");
    REQUIRE(probe.waitUntil(hasReconnect));
    constexpr int kCount = 20;
    for (int i = 0; i < kCount; ++i)
        REQUIRE(probe.channel().send("queued " + std::to_string(i)) == SendResult::kQueued);
    REQUIRE(probe.waitForOpen(15s, 1));
    REQUIRE(probe.waitForMessages(kCount));
    const auto messages = probe.messages();
    REQUIRE(messages.size() == kCount);
    for (int i = 0; i < kCount; ++i) CHECK(messages[i]->data == "queued " + std::to_string(i));
}

TEST_CASE("reconnect gives up after maxAttempts", "[channel][peer][reconnect]") {
    ScriptedServer server;
    const ConnectOptions options = reconnecting(2);
    ChannelProbe probe(server.url(), options);
    REQUIRE(probe.waitForOpen());
    probe.channel().send(R"(!{"op":"drop","refuse_ms":60000})");
    REQUIRE(probe.waitForClosed(10s));
    // Attempt 2 failed, and no third is scheduled even after the longest delay has passed.
    CHECK_FALSE(probe.waitUntil([&](const auto&) { return scheduledReconnects(probe).size() > 2; },
                                options.reconnect.maxDelay * 2));
    const auto reconnects = scheduledReconnects(probe);
    REQUIRE(reconnects.size() == 2);
    CHECK(reconnects[0].what.attempt == 1);
    CHECK(reconnects[1].what.attempt == 2);
    CHECK(probe.closedStatus().failure == FailureStage::kTcp);
    CHECK(probe.channel().status().state == ReadyState::kClosed);
    CHECK(probe.channel().send("anyone?") == SendResult::kClosed);
}

TEST_CASE("no reconnect after our own disconnect()", "[channel][peer][reconnect]") {
    ScriptedServer server;
    const ConnectOptions options = reconnecting();
    ChannelProbe probe(server.url(), options);
    REQUIRE(probe.waitForOpen());
    probe.channel().disconnect(CloseCode::kNormal, "done");
    REQUIRE(probe.waitForClosed());
    CHECK(probe.closedStatus().closedBy == CloseInitiator::kClient);
    CHECK_FALSE(probe.waitUntil(hasReconnect, options.reconnect.maxDelay * 2));
    CHECK(probe.channel().status().state == ReadyState::kClosed);
    // The server saw two connections: the one we closed and the one asking.
    ChannelProbe asking(server.url());
    REQUIRE(asking.waitForOpen());
    CHECK(jsonNumbers(askServer(asking, R"({"op":"connections"})"), "accepted").size() == 2);
}

// ---------------------------------------------------------------------------------------------
// A server that requires a client certificate issued by the test CA.

TEST_CASE("a client certificate is presented when the server requires one", "[channel][tls]") {
    ScriptedServer server({"--tls", kCerts + "localhost.pem", kCerts + "localhost.key",
                           "--client-ca", kCerts + "ca.pem"});
    ConnectOptions options;
    options.tls.caFile = kCerts + "ca.pem";

    SECTION("the right certificate and key: the connection opens and works") {
        options.tls.certFile = kCerts + "client.pem";
        options.tls.keyFile = kCerts + "client.key";
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForOpen());
        probe.channel().send("with a certificate");
        REQUIRE(probe.waitForMessages(1));
        CHECK(probe.messages()[0]->data == "with a certificate");
    }
    SECTION("no certificate: a TLS failure that says the server asked for one") {
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == 0);
        CHECK(probe.closedStatus().failure == FailureStage::kTls);
        CHECK_THAT(probe.closedStatus().error,
                   Catch::Contains("the server asked for a client certificate"));
    }
    SECTION("a certificate the server does not trust: a TLS failure") {
        options.tls.certFile = kCerts + "self-signed.pem";
        options.tls.keyFile = kCerts + "self-signed.key";
        ChannelProbe probe(server.url(), options);
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().failure == FailureStage::kTls);
        CHECK_THAT(probe.closedStatus().error, Catch::Contains("client certificate"));
    }
}

// ---------------------------------------------------------------------------------------------
// Name resolution runs off the worker: a resolver that hangs holds nothing up.

namespace {

// A resolver that blocks on kHangingHost until released (at the latest when this object is
// destroyed, which must come after the channel's), and tells which hosts it was asked for.
// Other hosts resolve to themselves, e.g. "127.0.0.1".
const std::string kHangingHost = "hangs.test";

class HangingResolver {
public:
    ~HangingResolver() { release(); }
    void release() {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->released = true;
        state_->condition.notify_all();
    }
    Resolver resolver() {
        return [state =
                    state_](const std::string& host) -> std::variant<ResolvedAddress, std::string> {
            std::unique_lock<std::mutex> lock(state->mutex);
            state->hosts.push_back(host);
            state->condition.notify_all();
            if (host != kHangingHost) return ResolvedAddress{host};
            state->condition.wait(lock, [&] { return state->released; });
            return std::string("released at the end of the test");
        };
    }
    // Waits until the resolver has been called; returns the hosts it was asked for.
    std::vector<std::string> waitForCall(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock<std::mutex> lock(state_->mutex);
        state_->condition.wait_for(lock, timeout, [&] { return !state_->hosts.empty(); });
        return state_->hosts;
    }
    bool released() {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->released;
    }

private:
    // Shared with the resolver's thread, which may outlive the channel and this object.
    struct State {
        std::mutex mutex;
        std::condition_variable condition;
        std::vector<std::string> hosts;
        bool released = false;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace

TEST_CASE("a resolver that never answers holds nothing up", "[channel][resolver]") {
    HangingResolver hanging;  // Outlives the probe: released only once the test is over.
    std::optional<ChannelProbe> probe(std::in_place, ChannelLimits{}, hanging.resolver());
    probe->channel().connect("ws://" + kHangingHost + ":8080/");
    REQUIRE(hanging.waitForCall() == std::vector<std::string>{kHangingHost});
    const ChannelStatus resolving = probe->channel().status();
    CHECK(resolving.state == ReadyState::kConnecting);
    CHECK(resolving.stage == ConnectStage::kResolving);

    SECTION("disconnect() ends the attempt while the resolver still hangs") {
        probe->channel().disconnect();
        REQUIRE(probe->waitForClosed(5s));
        CHECK(probe->closedStatus().failure == FailureStage::kCancelled);
        CHECK(probe->channel().status().state == ReadyState::kClosed);
        CHECK_FALSE(hanging.released());
    }
    SECTION("connect() to another URL does not wait for it") {
        ScriptedServer server;
        probe->channel().connect(server.url());
        REQUIRE(probe->waitForOpen(5s));
        CHECK(probe->channel().status().url == server.url());
        CHECK_FALSE(hanging.released());
    }
    SECTION("the channel is destroyed while the resolver hangs") {
        // On another thread, so that a destructor that waits fails the test instead of
        // hanging it: the resolver is then released and the destructor can finish.
        auto destroyed = std::async(std::launch::async, [&] { probe.reset(); });
        const bool prompt = destroyed.wait_for(5s) == std::future_status::ready;
        if (!prompt) hanging.release();
        destroyed.wait();
        CHECK(prompt);
    }
}

TEST_CASE("a resolver error is a DNS failure with the resolver's reason", "[channel][resolver]") {
    ChannelProbe probe(ChannelLimits{}, [](const std::string& host) {
        return std::variant<ResolvedAddress, std::string>("no such host " + host + " (test)");
    });
    probe.channel().connect("ws://missing.test/");
    REQUIRE(probe.waitForClosed());
    CHECK(probe.closedStatus().failure == FailureStage::kDns);
    CHECK_THAT(probe.closedStatus().error, Catch::Contains("no such host missing.test (test)"));
    CHECK(probe.closedStatus().closeCode == 0);
}

TEST_CASE("the resolved address is dialled while Host keeps the name", "[channel][resolver]") {
    ScriptedServer server;
    std::atomic<int> calls{0};
    ChannelProbe probe(ChannelLimits{}, [&calls](const std::string& host) {
        ++calls;
        return host == "wsdemo.test"
                   ? std::variant<ResolvedAddress, std::string>(ResolvedAddress{"127.0.0.1"})
                   : std::variant<ResolvedAddress, std::string>("unexpected host " + host);
    });
    probe.channel().connect("ws://wsdemo.test:" + server.port() + "/named");
    REQUIRE(probe.waitForOpen());
    CHECK(calls == 1);
    const std::string handshake = askServer(probe, R"({"op":"handshake"})");
    CHECK(countOf(handshake, jsonPair("Host", "wsdemo.test:" + server.port())) == 1);
    CHECK_THAT(handshake, Catch::Contains(R"("path": "/named")"));
}

namespace {

// tests/peers/frame_peer.py: reports each frame it receives as {"opcode": N, "hex": "..."}.
class FramePeer {
public:
    explicit FramePeer(const std::vector<std::string>& extraArgs = {})
        : process_(command(extraArgs)) {
        const auto line = process_.readLine(10s);
        if (!line || line->find("ws://127.0.0.1:") != 0)
            throw std::runtime_error("frame_peer.py did not print its URL");
        url_ = *line;
    }
    const std::string& url() const { return url_; }
    // The report lines up to and including the first that contains `needle`; throws if none
    // comes within 10 s.
    std::vector<std::string> framesUntil(const std::string& needle) {
        std::vector<std::string> frames;
        while (auto line = process_.readLine(10s)) {
            frames.push_back(*line);
            if (line->find(needle) != std::string::npos) return frames;
        }
        throw std::runtime_error("frame_peer.py never reported " + needle);
    }

private:
    static std::vector<std::string> command(const std::vector<std::string>& extraArgs) {
        std::vector<std::string> argv{WSDEMO_PYTHON, WSDEMO_PEERS_DIR "/frame_peer.py"};
        argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
        return argv;
    }
    Subprocess process_;
    std::string url_;
};

std::string frameReport(int opcode, const std::string& hex) {
    return R"({"opcode": )" + std::to_string(opcode) + R"(, "hex": ")" + hex + R"(")";
}

}  // namespace

TEST_CASE("the server's pings are answered unless autoPong is off", "[channel][peer][pong]") {
    // The peer pings ("hey"), then sends "pinged"; our "done" goes out after that, so a pong
    // lws sends comes before it on the wire (lws writes a pending pong before our WRITEABLE).
    FramePeer peer({"--ping", "hey"});
    ConnectOptions options;
    const bool autoPong = GENERATE(true, false);
    options.autoPong = autoPong;
    options.pingInterval = 1s;  // Our keepalive pings go on either way.
    ChannelProbe probe(peer.url(), options);
    REQUIRE(probe.waitForMessages(1));
    CHECK(probe.messages()[0]->data == "pinged");
    probe.channel().send("done");
    const auto frames = peer.framesUntil(frameReport(1, "646f6e65"));
    const auto pong = std::find_if(frames.begin(), frames.end(), [](const std::string& frame) {
        return frame.find(frameReport(10, "686579")) != std::string::npos;
    });
    INFO("autoPong " << autoPong);
    CHECK((pong != frames.end()) == autoPong);
    // Our own keepalive ping gets its pong back.
    REQUIRE(probe.waitUntil([&](const auto&) { return !probe.of<PongReceived>().empty(); }));
    CHECK(probe.of<PongReceived>()[0].roundTrip.has_value());
    CHECK(probe.of<PingSent>()[0].keepalive);
}

TEST_CASE("with autoPong off, a close frame carries its own code and reason",
          "[channel][peer][pong]") {
    FramePeer peer;
    ConnectOptions options;
    options.autoPong = false;
    ChannelProbe probe(peer.url(), options);
    REQUIRE(probe.waitForOpen());

    SECTION("ours") {
        probe.channel().disconnect(4001, "mine");
        CHECK_NOTHROW(peer.framesUntil(frameReport(8, "0fa1" + std::string("6d696e65"))));
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closeCode == 4001);
    }
    SECTION("the answer to a frame lws refuses (reserved opcode 3): 1002") {
        probe.channel().send("!raw 8300");
        CHECK_NOTHROW(peer.framesUntil(frameReport(8, "03ea")));
    }
    SECTION("ours for a message too big: 1009") {
        FramePeer greeter({"--ping", "x"});  // Then sends "pinged": 6 bytes.
        ConnectOptions smallOptions;
        smallOptions.autoPong = false;
        smallOptions.maxMessageBytes = 4;
        ChannelProbe small(greeter.url(), smallOptions);
        CHECK_NOTHROW(greeter.framesUntil(frameReport(8, "03f1" + toHex("message too big"))));
    }
}

TEST_CASE("disconnectUnchecked sends the close frame it is given", "[channel][peer][unsafe]") {
    FramePeer peer;
    ChannelProbe probe(peer.url());
    REQUIRE(probe.waitForOpen());

    SECTION("1005 with a reason that is not UTF-8") {
        probe.channel().disconnectUnchecked(1005, "\xff");
        CHECK_NOTHROW(peer.framesUntil(frameReport(8, "03edff")));
    }
    SECTION("0: a close frame with no payload, then the peer's close ends it") {
        probe.channel().disconnectUnchecked(0, "");
        CHECK_NOTHROW(peer.framesUntil(frameReport(8, "")));
        REQUIRE(probe.waitForClosed());
        CHECK(probe.closedStatus().closedBy == CloseInitiator::kClient);
        CHECK(probe.closedStatus().error.empty());
    }
    SECTION("a reason over 123 bytes is refused") {
        CHECK_THROWS_AS(probe.channel().disconnectUnchecked(1000, std::string(124, 'x')),
                        std::invalid_argument);
    }
}
