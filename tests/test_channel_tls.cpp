// wss:// against a python-websockets server with the certificates in tests/peers/certs.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <variant>

#include "support/channel_probe.h"
#include "support/messages.h"
#include "support/scripted_server.h"

using namespace wsdemo;
using wsdemo::test::kCerts;
using namespace wsdemo::test;

namespace {

ScriptedServer tlsServer(const std::string& name) {
    return ScriptedServer({"--tls", kCerts + name + ".pem", kCerts + name + ".key"});
}

// Makes OpenSSL's default trust store (what "the system's CAs" means) the test CA alone,
// for the channels created while it lives.
class TrustTestCa {
public:
    TrustTestCa() {
        if (const char* old = std::getenv("SSL_CERT_FILE")) previous_ = old;
        setenv("SSL_CERT_FILE", (kCerts + "ca.pem").c_str(), 1);
    }
    ~TrustTestCa() {
        if (previous_)
            setenv("SSL_CERT_FILE", previous_->c_str(), 1);
        else
            unsetenv("SSL_CERT_FILE");
    }

private:
    std::optional<std::string> previous_;
};

std::string withHost(const std::string& url, const std::string& host) {
    const auto start = url.find("127.0.0.1");
    return url.substr(0, start) + host + url.substr(start + 9);
}

void requireEchoOverTls(ChannelProbe& probe) {
    REQUIRE(probe.waitForOpen());
    probe.channel().send("over TLS \xe2\x9c\x93");
    REQUIRE(probe.waitForMessages(1));
    CHECK(probe.messages()[0]->data == "over TLS \xe2\x9c\x93");
}

ChannelStatus failedStatus(ChannelProbe& probe) {
    REQUIRE(probe.waitForClosed());
    CHECK(probe.closedStatus().closeCode == 0);
    return probe.closedStatus();
}

}  // namespace

TEST_CASE("wss:// to a server the system trusts", "[channel][tls]") {
    TrustTestCa trust;
    ScriptedServer server = tlsServer("localhost");
    for (const std::string& url : {server.url(), withHost(server.url(), "localhost")}) {
        INFO(url);
        ChannelProbe probe(url);
        requireEchoOverTls(probe);
    }
}

TEST_CASE("wss:// to a server issued by the CA of tls.caFile", "[channel][tls]") {
    ScriptedServer server = tlsServer("localhost");  // The system does not trust the test CA.
    ConnectOptions options;
    options.tls.caFile = kCerts + "ca.pem";
    ChannelProbe probe(server.url(), options);
    requireEchoOverTls(probe);
}

TEST_CASE("Host, SNI and the certificate check use the name, not the address dialled",
          "[channel][tls][resolver]") {
    // The certificate names only other.example; the resolver sends that name to 127.0.0.1.
    ScriptedServer server = tlsServer("other-host");
    ConnectOptions options;
    options.tls.caFile = kCerts + "ca.pem";
    ChannelProbe probe(ChannelLimits{}, [](const std::string& host) {
        using Answer = std::variant<ResolvedAddress, std::string>;
        return host == "other.example" ? Answer(ResolvedAddress{"127.0.0.1"})
                                       : Answer("unexpected host " + host);
    });
    probe.channel().connect(withHost(server.url(), "other.example"), options);
    requireEchoOverTls(probe);
    const std::string handshake = askServer(probe, R"({"op":"handshake"})");
    CHECK_THAT(handshake, Catch::Contains(jsonPair("Host", "other.example:" + server.port())));
}

TEST_CASE("certificates are verified by default", "[channel][tls]") {
    SECTION("an unknown issuer") {
        ScriptedServer server = tlsServer("localhost");  // The test CA is not trusted here.
        ChannelProbe probe(server.url());
        const ChannelStatus status = failedStatus(probe);
        CHECK(status.failure == FailureStage::kTls);
        CHECK_THAT(status.error,
                   Catch::Contains("the server's TLS certificate was rejected: unable to get local "
                                   "issuer certificate"));
    }
    SECTION("a self-signed certificate") {
        ScriptedServer server = tlsServer("self-signed");
        ChannelProbe probe(server.url());
        const ChannelStatus status = failedStatus(probe);
        CHECK(status.failure == FailureStage::kTls);
        CHECK_THAT(status.error, Catch::Contains("self-signed certificate"));
    }
    SECTION("a certificate for another host") {
        TrustTestCa trust;
        ScriptedServer server = tlsServer("other-host");
        ChannelProbe probe(server.url());
        const ChannelStatus status = failedStatus(probe);
        CHECK(status.failure == FailureStage::kTls);
        CHECK_THAT(status.error, Catch::Contains("IP address mismatch"));
    }
    SECTION("a server that does not speak TLS") {
        ScriptedServer server;
        ChannelProbe probe("wss" + server.url().substr(2));
        const ChannelStatus status = failedStatus(probe);
        CHECK(status.failure == FailureStage::kTls);
        CHECK_THAT(status.error, Catch::Contains("the TLS handshake failed"));
    }
}

TEST_CASE("each check is turned off only by its own option", "[channel][tls]") {
    SECTION("verifyCertificate = false accepts a self-signed certificate") {
        ScriptedServer server = tlsServer("self-signed");
        ConnectOptions options;
        options.tls.verifyCertificate = false;
        ChannelProbe probe(server.url(), options);
        requireEchoOverTls(probe);
    }
    SECTION("verifyHostname = false accepts a trusted certificate for another host") {
        TrustTestCa trust;
        ScriptedServer server = tlsServer("other-host");
        ConnectOptions options;
        options.tls.verifyHostname = false;
        ChannelProbe probe(server.url(), options);
        requireEchoOverTls(probe);
    }
    SECTION("verifyHostname = false still rejects an untrusted certificate") {
        ScriptedServer server = tlsServer("other-host");
        ConnectOptions options;
        options.tls.verifyHostname = false;
        ChannelProbe probe(server.url(), options);
        const ChannelStatus status = failedStatus(probe);
        CHECK(status.failure == FailureStage::kTls);
        CHECK_THAT(status.error, Catch::Contains("certificate was rejected"));
    }
}
