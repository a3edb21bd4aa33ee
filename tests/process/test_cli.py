#!/usr/bin/python3
"""Process-level tests of the wsdemo binary: its command line, exit statuses and output.

Usage: /usr/bin/python3 tests/process/test_cli.py /path/to/wsdemo [unittest options]

The peers are wsdemo itself (--echo-server), python-websockets (Peer below,
which records what the server saw) and tests/peers/scripted_server.py. Every
wait has a deadline, and every process a test starts is killed when the test
ends.
"""

import asyncio
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import ssl
import threading
import time
import unittest
from pathlib import Path

import websockets
from websockets.frames import OP_CLOSE, OP_PING, OP_PONG, Close

PEERS = Path(__file__).resolve().parent.parent / "peers"
CERTS = PEERS / "certs"
WSDEMO = None  # The binary under test, from the command line.

STARTUP_TIMEOUT = 5  # until a server prints its URL
RUN_TIMEOUT = 10  # for a whole headless run
EXIT_TIMEOUT = 5  # after a signal, or after the peer closed
REPLY_TIMEOUT = 5  # for one echo

URL_LINE = re.compile(r"ws://127\.0\.0\.1:(\d+)/")

# Handshakes that the tests make fail on purpose are not news.
logging.getLogger("websockets").setLevel(logging.CRITICAL)

# Without these, an attempt to open a window fails instead of going unnoticed.
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def upstream_version(package):
    """The upstream part of an installed Debian package's version: 4.1.6 of 4.1.6-3."""
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], check=True, capture_output=True, text=True
    ).stdout
    return re.split(r"[+~-]", version.split(":")[-1])[0]


def free_port():
    """A port that nothing listens on, as far as one can tell."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Output:
    """The lines a child writes to a pipe, read by a thread of their own so that
    the child can never block on a full pipe while a test waits for it."""

    def __init__(self, pipe):
        self.lines = []
        self.complete = False  # The pipe reached EOF.
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(pipe,), daemon=True).start()

    def _read(self, pipe):
        with pipe:
            for line in pipe:
                with self._changed:
                    # Keep a "\r" if there is one: it would be an output bug.
                    self.lines.append(line.decode(errors="backslashreplace").removesuffix("\n"))
                    self._changed.notify_all()
        with self._changed:
            self.complete = True
            self._changed.notify_all()

    def wait_for(self, predicate, timeout):
        """Returns whether predicate() became true within timeout seconds."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)


class Process:
    """A child process, killed by the cleanup that starting it registers."""

    def __init__(self, add_cleanup, *args):
        self.args = args
        self.popen = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=CHILD_ENV,
        )
        add_cleanup(self.kill)
        self.stdout = Output(self.popen.stdout)
        self.stderr = Output(self.popen.stderr)

    def first_line(self):
        stdout = self.stdout
        if not stdout.wait_for(lambda: stdout.lines or stdout.complete, STARTUP_TIMEOUT):
            raise AssertionError(f"no stdout line within {STARTUP_TIMEOUT} s{self.report()}")
        if not stdout.lines:
            raise AssertionError(f"stdout closed before its first line{self.report()}")
        return stdout.lines[0]

    def write_lines(self, *lines):
        try:
            self.popen.stdin.write("".join(line + "\n" for line in lines).encode())
            self.popen.stdin.flush()
        except BrokenPipeError:
            raise AssertionError(f"it stopped reading stdin{self.report()}") from None

    def close_stdin(self):
        try:
            self.popen.stdin.close()
        except BrokenPipeError:
            pass  # It exited without reading everything; its exit status will tell.

    def wait(self, timeout):
        """Waits for the exit and for all of the output; returns the exit status."""
        try:
            status = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout} s{self.report()}") from None
        for output in (self.stdout, self.stderr):
            if not output.wait_for(lambda: output.complete, EXIT_TIMEOUT):
                raise AssertionError(f"a child of it still holds its output open{self.report()}")
        return status

    def report(self):
        """What to append to a failure message: the command and what it printed so far."""
        def tail(lines):
            shown = lines[-20:]  # enough to see what went wrong, short enough to read
            return "".join(f"\n    {line}" for line in shown) or " (nothing)"

        return (
            f"\n  command: {' '.join(map(os.fsdecode, self.args))}"
            f"\n  exit status: {self.popen.poll()}"
            f"\n  stdout:{tail(self.stdout.lines)}"
            f"\n  stderr:{tail(self.stderr.lines)}"
        )

    def kill(self):
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()
        self.close_stdin()

class Peer:
    """A python-websockets server on a thread of its own that records what it sees, in
    order, as tuples: ("connect", n, request headers), ("message", n, data),
    ("ping", n, payload), ("pong", n, payload), ("close", n, code, reason), n
    numbering connections from 1. By default it echoes every message; `handler`
    replaces that (an async function of the peer, the connection and its number)."""

    def __init__(self, add_cleanup, handler=None, **serve_options):
        serve_options.setdefault("close_timeout", 1)  # Bounds stop() with a silent client.
        self.events = []
        self.connections = 0
        self._changed = threading.Condition()
        self._handler = handler or Peer.echo
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        threading.Thread(target=self._run, args=(serve_options, started), daemon=True).start()
        if not started.wait(STARTUP_TIMEOUT):
            raise AssertionError("the python peer did not start")
        add_cleanup(self.stop)

    def url(self, scheme="ws", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.port}/"

    def record(self, *event):
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def of(self, kind):
        """The recorded events of one kind, without their kind."""
        with self._changed:
            return [event[1:] for event in self.events if event[0] == kind]

    def wait_for(self, predicate, timeout):
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    @staticmethod
    async def echo(peer, ws, number):
        async for message in ws:
            peer.record("message", number, message)
            await ws.send(message)

    def _protocol(self):
        peer = self

        class Recording(websockets.WebSocketServerProtocol):
            async def read_frame(self, max_size):
                frame = await super().read_frame(max_size)
                number = getattr(self, "number", 0)
                if frame.opcode in (OP_PING, OP_PONG):
                    kind = "ping" if frame.opcode == OP_PING else "pong"
                    peer.record(kind, number, frame.data.decode(errors="backslashreplace"))
                elif frame.opcode == OP_CLOSE:
                    close = Close.parse(frame.data)
                    peer.record("close", number, close.code, close.reason)
                return frame

        return Recording

    async def _serve(self, ws, path=None):
        self.connections += 1
        ws.number = number = self.connections
        self.record("connect", number, ws.request_headers)
        await self._handler(self, ws, number)

    def _run(self, serve_options, started):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            websockets.serve(self._serve, "127.0.0.1", 0, create_protocol=self._protocol(),
                             **serve_options))
        self.port = self._server.sockets[0].getsockname()[1]
        started.set()
        self._loop.run_forever()
        self._loop.close()

    def stop(self):
        async def close():
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(EXIT_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)


class WsdemoTestCase(unittest.TestCase):
    def start(self, *args):
        return Process(self.addCleanup, WSDEMO, *args)

    def start_echo_server(self, *args):
        """Starts `wsdemo --echo-server` and returns it with the URL it printed."""
        server = self.start("--echo-server", *args)
        url = server.first_line()
        self.assertRegex(url, f"^{URL_LINE.pattern}$", f"first stdout line{server.report()}")
        return server, url

    def assertExit(self, process, status, timeout=RUN_TIMEOUT):
        """Waits for process to exit, if it has not yet, and checks its status."""
        self.assertEqual(process.wait(timeout), status, f"exit status{process.report()}")

    def assertHeadlessExit(self, process, status, timeout=RUN_TIMEOUT):
        """assertExit, plus the contract of headless mode for stderr: every line is prefixed."""
        self.assertExit(process, status, timeout)
        for line in process.stderr.lines:
            self.assertTrue(
                line.startswith("wsdemo: "), f"unprefixed stderr line {line!r}{process.report()}"
            )

    def assertSaid(self, process, pattern):
        """Asserts that a stderr line matches the regular expression `pattern`."""
        self.assertTrue(
            any(re.search(pattern, line) for line in process.stderr.lines),
            f"no stderr line matches {pattern!r}{process.report()}",
        )

    def waitForStderr(self, process, pattern, timeout=RUN_TIMEOUT):
        stderr = process.stderr
        if not stderr.wait_for(lambda: any(re.search(pattern, l) for l in stderr.lines), timeout):
            self.fail(f"no stderr line matching {pattern!r} within {timeout} s{process.report()}")

    def assertMentions(self, process, *words):
        """Asserts that stderr contains each of words, as a whole word."""
        text = "\n".join(process.stderr.lines)
        for word in words:
            self.assertRegex(text, rf"\b{re.escape(word)}\b", f"on stderr{process.report()}")


class CommandLineTests(WsdemoTestCase):
    def start_without_input(self, *args):
        process = self.start(*args)
        process.close_stdin()
        return process

    def test_help_prints_usage(self):
        process = self.start_without_input("--help")
        self.assertExit(process, 0)
        usage = "\n".join(process.stdout.lines)
        for option in ("--echo-server", "--headless", "--url", "--port"):
            self.assertIn(option, usage, f"usage should document it{process.report()}")

    def test_version_names_the_library_versions_it_runs_with(self):
        process = self.start_without_input("--version")
        self.assertExit(process, 0)
        self.assertRegex(process.stdout.lines[0], r"^wsdemo \d+\.\d+\.\d+$")
        # What Debian installed here; the upstream version is what precedes "+" or "-".
        expected = {
            "libwebsockets": upstream_version("libwebsockets17"),
            "OpenSSL": upstream_version("libssl3"),
            "Dear ImGui": upstream_version("libimgui-dev"),
            "GLFW": upstream_version("libglfw3"),
            "FreeType": upstream_version("libfreetype6"),
            "fontconfig": upstream_version("libfontconfig1"),
        }
        self.assertEqual(
            process.stdout.lines[1:],
            [f"{name} {version}" for name, version in expected.items()],
            f"stdout{process.report()}",
        )

    def test_window_without_a_display_exits_1_and_suggests_a_way(self):
        process = self.start_without_input()  # Children never get a DISPLAY.
        self.assertExit(process, 1)
        self.assertEqual(len(process.stderr.lines), 1, f"stderr lines{process.report()}")
        for way in ("--headless", "xvfb-run"):
            self.assertIn(way, process.stderr.lines[0], f"stderr{process.report()}")

    def test_bad_arguments_exit_2_with_one_line(self):
        for args in (
            ["--frobnicate"],
            ["--headless", "--url"],
            ["--headless", "--url", "ftp://x"],
            ["--headless", "--url", "ws://"],
            ["--headless", "--url", "ws://host:99999"],
            ["--echo-server", "--port", "abc"],
            ["--echo-server", "--port", "70000"],
            ["--headless", "--url", "ws://example.com/" + "a" * 10_000],
            ["--headless", "--url", b"ws://h\xffst/"],
            [b"--\xff\xfe"],
            ["--max-message-size", "0"],
            ["--bind", "0.0.0.0"],
            ["--headless", "ws://a/", "ws://b/"],
            ["--headless", "ws://a/", "--url", "ws://a/"],
            ["--headless", "--subprotocol", "two words"],
            ["--headless", "--subprotocol", "chat", "--subprotocol", "chat"],
            ["--headless", "--header", "no colon"],
            ["--headless", "--header", "Upgrade: h2c"],
            ["--headless", "--header", "Sec-WebSocket-Key: x"],
            ["--headless", "--origin", "https://a\r\nX: y"],
            ["--headless", "--connect-timeout", "soon"],
            ["--headless", "--ping-interval", "-1"],
            ["--headless", "--max-reconnects", "3"],
            ["--headless", "--reconnect", "--max-reconnects", "0"],
            ["--headless", "--ca", "/nonexistent/ca.pem"],
            ["--headless", "--cert", str(CERTS / "localhost.pem")],
            ["--headless", "--no-compression=yes"],
            ["--slash"],
            ["--echo-server", "--subprotocol", "chat"],
        ):
            with self.subTest(args=repr(args)[:80]):
                process = self.start_without_input(*args)
                self.assertExit(process, 2)
                self.assertEqual(process.stdout.lines, [], f"stdout{process.report()}")
                self.assertEqual(len(process.stderr.lines), 1, f"stderr lines{process.report()}")


class EchoServerTests(WsdemoTestCase):
    def test_prints_its_url_first(self):
        _, url = self.start_echo_server()
        self.assertNotEqual(URL_LINE.match(url)[1], "0")

    def test_listens_on_the_port_asked_for(self):
        port = free_port()
        _, url = self.start_echo_server("--port", str(port))
        self.assertEqual(url, f"ws://127.0.0.1:{port}/")

    def test_echoes_python_websockets(self):
        _, url = self.start_echo_server()
        check = Process(self.addCleanup, sys.executable, str(PEERS / "echo_client_check.py"), url)
        # The check bounds itself to 30 s.
        self.assertExit(check, 0, timeout=40)

    def test_sigterm_with_a_client_connected_exits_0(self):
        server, url = self.start_echo_server()

        async def signal_while_connected():
            async with websockets.connect(url, close_timeout=1) as ws:
                await ws.send("before SIGTERM")
                self.assertEqual(await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT), "before SIGTERM")
                server.popen.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(ws.wait_closed(), EXIT_TIMEOUT)
                except asyncio.TimeoutError:
                    self.fail(f"connection open {EXIT_TIMEOUT} s after SIGTERM{server.report()}")

        asyncio.run(signal_while_connected())
        self.assertExit(server, 0, timeout=EXIT_TIMEOUT)

    def test_binds_another_loopback_address_without_a_warning(self):
        server = self.start("--echo-server", "--bind", "127.0.0.2")
        url = server.first_line()
        self.assertRegex(url, r"^ws://127\.0\.0\.2:\d+/$", server.report())
        server.popen.send_signal(signal.SIGTERM)
        self.assertExit(server, 0, timeout=EXIT_TIMEOUT)
        self.assertNotIn("warning", "\n".join(server.stderr.lines), server.report())

    def test_closes_with_1009_over_max_message_size(self):
        _, url = self.start_echo_server("--max-message-size", "10")

        async def send_too_much():
            async with websockets.connect(url) as ws:
                await ws.send("x" * 11)
                await asyncio.wait_for(ws.wait_closed(), REPLY_TIMEOUT)
                return ws.close_code

        self.assertEqual(asyncio.run(send_too_much()), 1009)

    def test_sigint_exits_0(self):
        server, _ = self.start_echo_server()
        server.popen.send_signal(signal.SIGINT)
        self.assertExit(server, 0, timeout=EXIT_TIMEOUT)


class HeadlessTests(WsdemoTestCase):
    LINES = [
        f"line {i}: héllo wörld ✓ 日本語 🎉" if i % 2 else f"  line {i}, spaces kept  "
        for i in range(200)
    ]

    def assertEchoesLines(self, *args):
        """Feeds LINES to `wsdemo --headless *args` up to EOF and checks it printed them back."""
        process = self.start("--headless", *args)
        process.write_lines(*self.LINES)
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(process.stdout.lines, self.LINES, f"echoes{process.report()}")

    def test_embedded_server_echoes_every_line_in_order(self):
        self.assertEchoesLines()

    def test_echo_server_process_echoes_every_line_in_order(self):
        _, url = self.start_echo_server()
        self.assertEchoesLines("--url", url)

    def test_connection_refused_exits_1_saying_so_last(self):
        port = free_port()
        process = self.start("--headless", "--url", f"ws://127.0.0.1:{port}/")
        # stdin stays open: the failure alone must end it.
        self.assertHeadlessExit(process, 1)
        self.assertEqual(process.stdout.lines, [], f"stdout{process.report()}")
        # Status lines such as "connecting to ..." may come first, but the last
        # line must be the error, saying what it could not connect to.
        last_line = process.stderr.lines[-1] if process.stderr.lines else ""
        self.assertIn(str(port), last_line, f"last stderr line{process.report()}")
        self.assertIn("refused", last_line, f"last stderr line{process.report()}")


class ScriptedPeerTests(WsdemoTestCase):
    """Headless mode against a server that closes, aborts, or sends binary on command."""

    @classmethod
    def setUpClass(cls):
        # One server for all: its commands act on one connection each.
        server = Process(cls.addClassCleanup, sys.executable, str(PEERS / "scripted_server.py"))
        cls.url = server.first_line()

    def assertPeerEndsRun(self, command, status, *mentions):
        """Has the peer run `command`, keeping stdin open so that only the peer can end
        the run, then checks the exit status and that stderr mentions each of mentions."""
        process = self.start("--headless", "--url", self.url)
        process.write_lines("!" + command)
        self.assertHeadlessExit(process, status, timeout=EXIT_TIMEOUT)
        self.assertMentions(process, *mentions)

    def test_close_4000_exits_1_and_says_why(self):
        self.assertPeerEndsRun('{"op":"close","code":4000,"reason":"bye"}', 1, "4000", "bye")

    def test_close_1000_exits_0_and_says_why(self):
        self.assertPeerEndsRun('{"op":"close","code":1000,"reason":"done"}', 0, "1000", "done")

    def test_abort_exits_1_as_abnormal_closure(self):
        self.assertPeerEndsRun('{"op":"abort"}', 1, "1006")

    def test_binary_is_printed_as_hex(self):
        process = self.start("--headless", "--url", self.url)
        # The echo of the text line comes after the binary reply: nothing may be lost.
        process.write_lines('!{"op":"binary","hex":"00ff"}', "after binary")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(
            process.stdout.lines, ["[binary 2 bytes] 00ff", "after binary"], process.report()
        )

    def test_a_flood_is_printed_whole_and_in_order(self):
        count = 50_000
        process = self.start("--headless", "--url", self.url)
        process.write_lines(f'!{{"op":"flood","count":{count},"size":24}}')
        stdout = process.stdout
        # stdin stays open until the flood is in: at its end, the run may close.
        if not stdout.wait_for(lambda: len(stdout.lines) >= count, 30):
            self.fail(f"{len(stdout.lines)} of {count} messages printed{process.report()}")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(stdout.lines, [f"{i}".ljust(24, ".") for i in range(count)])

    def test_a_message_over_max_message_size_closes_with_1009(self):
        process = self.start("--headless", "--max-message-size", "100", "--url", self.url)
        process.write_lines('!{"op":"big","size":101}')
        self.assertHeadlessExit(process, 1, timeout=EXIT_TIMEOUT)
        self.assertMentions(process, "1009")
        self.assertEqual(process.stdout.lines, [], process.report())


class HandshakeOptionTests(WsdemoTestCase):
    """Each client option through --headless, as a python-websockets server sees it."""

    def run_to_end(self, peer_url, *args, lines=("hello",), status=0):
        """Sends lines, ends stdin, and checks the echoes and the exit status."""
        process = self.start("--headless", *args, peer_url)
        process.write_lines(*lines)
        process.close_stdin()
        self.assertHeadlessExit(process, status)
        if status == 0:
            self.assertEqual(process.stdout.lines, list(lines), process.report())
        return process

    def test_positional_url(self):
        peer = Peer(self.addCleanup)
        self.run_to_end(peer.url())
        self.assertEqual(peer.of("message"), [(1, "hello")])

    def test_subprotocol_offered_in_order_and_the_chosen_one_named(self):
        peer = Peer(self.addCleanup, subprotocols=["chat.v2"])
        process = self.run_to_end(
            peer.url(), "--subprotocol", "chat.v1", "--subprotocol", "chat.v2"
        )
        (_, headers), = peer.of("connect")
        self.assertEqual(headers.get("Sec-WebSocket-Protocol"), "chat.v1, chat.v2")
        self.assertSaid(process, r"Connected to .*subprotocol 'chat\.v2'")

    def test_header_and_origin_reach_the_server(self):
        peer = Peer(self.addCleanup)
        self.run_to_end(
            peer.url(), "--header", "X-Wsdemo-Test: yes, really", "--header", "X-Empty:",
            "--origin", "https://example.test",
        )
        (_, headers), = peer.of("connect")
        self.assertEqual(headers.get("X-Wsdemo-Test"), "yes, really")
        self.assertEqual(headers.get("X-Empty"), "")
        self.assertEqual(headers.get_all("Origin"), ["https://example.test"])

    def test_compression_offered_unless_no_compression(self):
        for args, offered in (((), True), (("--no-compression",), False)):
            with self.subTest(args=args):
                peer = Peer(self.addCleanup)
                self.run_to_end(peer.url(), *args)
                (_, headers), = peer.of("connect")
                offer = headers.get("Sec-WebSocket-Extensions") or ""
                self.assertEqual("permessage-deflate" in offer, offered, offer)

    def test_connect_timeout_on_a_server_that_never_answers_the_upgrade(self):
        # Fault 3. The kernel completes TCP handshakes into the backlog: nothing answers.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            port = silent.getsockname()[1]
            started = time.monotonic()
            process = self.start("--headless", "--connect-timeout", "1", f"ws://127.0.0.1:{port}/")
            process.close_stdin()
            self.assertHeadlessExit(process, 1, timeout=1 + EXIT_TIMEOUT)
            elapsed = time.monotonic() - started
        self.assertGreaterEqual(elapsed, 0.9, process.report())
        self.assertIn("handshake", process.stderr.lines[-1], process.report())
        for line in process.stderr.lines:
            self.assertNotIn("closing handshake", line, process.report())

    def test_ping_interval_pings_a_quiet_server(self):
        peer = Peer(self.addCleanup)
        process = self.start("--headless", "--ping-interval", "1", peer.url())
        # Half the interval without a word from the server: a ping goes out.
        if not peer.wait_for(lambda: peer.of("ping"), EXIT_TIMEOUT):
            self.fail(f"no ping within {EXIT_TIMEOUT} s{process.report()}")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)

    def test_no_pings_with_ping_interval_0(self):
        peer = Peer(self.addCleanup)
        process = self.start("--headless", "--ping-interval", "0", peer.url())
        self.waitForStderr(process, r"Connected to")
        self.assertFalse(peer.wait_for(lambda: peer.of("ping"), 1.5), process.report())
        process.close_stdin()
        self.assertHeadlessExit(process, 0)


class ReconnectTests(WsdemoTestCase):
    @staticmethod
    async def drop_on_request(peer, ws, number):
        """Echoes; after echoing "drop", drops the connection without a close frame."""
        async for message in ws:
            peer.record("message", number, message)
            await ws.send(message)
            if message == "drop":  # After the echo: TCP ends without a close frame.
                ws.transport.close()
                return

    def test_lines_typed_while_reconnecting_arrive_after_in_order(self):
        peer = Peer(self.addCleanup, handler=self.drop_on_request)
        process = self.start("--headless", "--reconnect", peer.url())
        process.write_lines("before", "drop")
        self.waitForStderr(process, r"^wsdemo: reconnecting in \d+\.\d s \(attempt 1\)$")
        during = [f"during {i}" for i in range(50)]
        process.write_lines(*during)
        if not peer.wait_for(lambda: len(peer.of("message")) >= 2 + len(during), RUN_TIMEOUT):
            self.fail(f"server got {peer.of('message')}{process.report()}")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(
            peer.of("message"),
            [(1, "before"), (1, "drop")] + [(2, line) for line in during],
        )
        self.assertEqual(process.stdout.lines, ["before", "drop"] + during, process.report())

    def test_max_reconnects_gives_up_after_that_many_attempts(self):
        port = free_port()
        process = self.start(
            "--headless", "--reconnect", "--max-reconnects", "2", f"ws://127.0.0.1:{port}/"
        )
        # Attempt 1 waits at most 1 s, attempt 2 at most 2 s.
        self.assertHeadlessExit(process, 1, timeout=3 + RUN_TIMEOUT)
        self.assertSaid(process, r"\(attempt 1\)")
        self.assertSaid(process, r"\(attempt 2\)")
        self.assertNotIn("(attempt 3)", "\n".join(process.stderr.lines), process.report())
        self.assertIn("refused", process.stderr.lines[-1], process.report())


class SlashTests(WsdemoTestCase):
    def test_ping_pong_text_and_close_commands(self):
        # With permessage-deflate too: lws 4.1.6 passes control frames through the extension.
        for args in ((), ("--no-compression",)):
            with self.subTest(args=args):
                peer = Peer(self.addCleanup)
                process = self.start("--headless", "--slash", *args, peer.url())
                # stdin stays open: /close alone ends the run.
                process.write_lines("/ping hello", "/pong abc", "//text", "/close 4001 bye")
                self.assertHeadlessExit(process, 0)
                self.assertEqual(peer.of("ping"), [(1, "hello")])
                self.assertEqual(peer.of("pong"), [(1, "abc")])
                self.assertEqual(peer.of("message"), [(1, "/text")])
                self.assertEqual(peer.of("close"), [(1, 4001, "bye")])
                self.assertEqual(process.stdout.lines, ["/text"], process.report())
                pongs = [line for line in process.stderr.lines if "pong" in line]
                self.assertEqual(len(pongs), 1, process.report())
                self.assertRegex(pongs[0], r"^wsdemo: pong in \d+\.\d{3} ms$")

    def test_a_bad_command_is_named_and_counted_as_not_sent(self):
        peer = Peer(self.addCleanup)
        process = self.start("--headless", "--slash", peer.url())
        process.write_lines("/frob", "ok")
        process.close_stdin()
        self.assertHeadlessExit(process, 1)
        self.assertEqual(process.stdout.lines, ["ok"], process.report())
        self.assertSaid(process, r"^wsdemo: line 1 not sent: .*'/frob'")
        self.assertEqual(process.stderr.lines[-1], "wsdemo: 1 line(s) were not sent")

    def test_without_slash_a_slash_line_is_text(self):
        peer = Peer(self.addCleanup)
        process = self.start("--headless", peer.url())
        process.write_lines("/ping hello")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(peer.of("message"), [(1, "/ping hello")])
        self.assertEqual(peer.of("ping"), [])


class TlsTests(WsdemoTestCase):
    def start_peer(self):
        """A wss:// peer with the test CA's certificate that requires a client certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERTS / "localhost.pem", CERTS / "localhost.key")
        context.load_verify_locations(CERTS / "ca.pem")
        context.verify_mode = ssl.CERT_REQUIRED
        return Peer(self.addCleanup, ssl=context)

    def test_ca_cert_and_key(self):
        peer = self.start_peer()
        process = self.start(
            "--headless", "--ca", str(CERTS / "ca.pem"), "--cert", str(CERTS / "localhost.pem"),
            "--key", str(CERTS / "localhost.key"), peer.url("wss", "localhost"),
        )
        process.write_lines("over TLS")
        process.close_stdin()
        self.assertHeadlessExit(process, 0)
        self.assertEqual(process.stdout.lines, ["over TLS"], process.report())

    def test_without_a_client_certificate_the_server_refuses(self):
        peer = self.start_peer()
        process = self.start("--headless", "--ca", str(CERTS / "ca.pem"), peer.url("wss", "localhost"))
        process.close_stdin()
        self.assertHeadlessExit(process, 1)
        self.assertEqual(peer.of("connect"), [], process.report())

    def test_without_the_ca_the_certificate_is_not_trusted(self):
        peer = self.start_peer()
        process = self.start(
            "--headless", "--cert", str(CERTS / "localhost.pem"),
            "--key", str(CERTS / "localhost.key"), peer.url("wss", "localhost"),
        )
        process.close_stdin()
        self.assertHeadlessExit(process, 1)
        self.assertEqual(peer.of("connect"), [], process.report())


class SignalTests(WsdemoTestCase):
    @staticmethod
    async def stop_answering(peer, ws, number):
        """Reads nothing once open: a close frame is never answered."""
        ws.transport.pause_reading()
        await ws.wait_closed()

    def test_interrupt_closes_with_1000_and_exits_0(self):
        peer = Peer(self.addCleanup)
        process = self.start("--headless", peer.url())
        self.waitForStderr(process, r"Connected to")
        process.popen.send_signal(signal.SIGINT)
        self.assertHeadlessExit(process, 0, timeout=EXIT_TIMEOUT)
        self.assertEqual(peer.of("close"), [(1, 1000, "")])

    def test_second_interrupt_ends_at_once_without_spinning(self):
        # Fault 2: the close is pending on a server that stopped reading.
        peer = Peer(self.addCleanup, handler=self.stop_answering)
        process = self.start("--headless", peer.url())
        self.waitForStderr(process, r"Connected to")
        process.popen.send_signal(signal.SIGINT)
        self.waitForStderr(process, r"interrupted, closing", EXIT_TIMEOUT)
        before = cpu_seconds(process.popen.pid)
        pending = 1.0
        time.sleep(pending)  # The interval measured: the close stays pending throughout.
        used = cpu_seconds(process.popen.pid) - before
        self.assertIsNone(process.popen.poll(), f"exited before the second signal{process.report()}")
        process.popen.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        self.assertHeadlessExit(process, 1, timeout=EXIT_TIMEOUT)
        self.assertLess(time.monotonic() - signalled, 1.0, process.report())
        self.assertLess(used, 0.2 * pending, f"CPU seconds while the close was pending{process.report()}")
        self.assertIn("interrupted again", process.stderr.lines[-1], process.report())


def cpu_seconds(pid):
    """utime + stime of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit(f"usage: {sys.argv[0]} /path/to/wsdemo [unittest options]")
    WSDEMO = os.path.abspath(sys.argv.pop(1))
    if not os.access(WSDEMO, os.X_OK):
        sys.exit(f"{WSDEMO}: not an executable file")
    unittest.main()
