#!/usr/bin/python3
"""Process-level tests of the wsdemo binary: its command line, exit statuses and output.

Usage: /usr/bin/python3 tests/process/test_cli.py /path/to/wsdemo [unittest options]

The peers are wsdemo itself (--echo-server), python-websockets and
tests/peers/scripted_server.py. Every wait has a deadline, and every process
a test starts is killed when the test ends.
"""

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import unittest
from pathlib import Path

import websockets

PEERS = Path(__file__).resolve().parent.parent / "peers"
WSDEMO = None  # The binary under test, from the command line.

STARTUP_TIMEOUT = 5  # until a server prints its URL
RUN_TIMEOUT = 10  # for a whole headless run
EXIT_TIMEOUT = 5  # after a signal, or after the peer closed
REPLY_TIMEOUT = 5  # for one echo

URL_LINE = re.compile(r"ws://127\.0\.0\.1:(\d+)/")

# Without these, an attempt to open a window fails instead of going unnoticed.
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


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

    def test_version_prints_one_line(self):
        process = self.start_without_input("--version")
        self.assertExit(process, 0)
        self.assertEqual(len(process.stdout.lines), 1, f"stdout{process.report()}")

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


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit(f"usage: {sys.argv[0]} /path/to/wsdemo [unittest options]")
    WSDEMO = os.path.abspath(sys.argv.pop(1))
    if not os.access(WSDEMO, os.X_OK):
        sys.exit(f"{WSDEMO}: not an executable file")
    unittest.main()
