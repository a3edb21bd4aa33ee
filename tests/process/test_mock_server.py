#!/usr/bin/python3
"""`wsdemo --echo-server --rules FILE` under each rule, against python-websockets clients that
check the exact frames and their timing (lower bounds exact, upper bounds with a margin).

Usage: /usr/bin/python3 tests/process/test_mock_server.py /path/to/wsdemo [unittest options]
"""

import asyncio
import json
import os
import sys
import tempfile
import time
import unittest

import websockets

import test_cli
from test_cli import REPLY_TIMEOUT, WsdemoTestCase

MARGIN = 1.0  # Seconds a reply may come later than its delay on a loaded machine.
SILENCE = 1.0  # Seconds without a frame that count as "no answer".

RULES = {
    "rules": [
        {"on": "connect", "reply": [{"text": "welcome"}]},
        {"match": {"text": "ping?"}, "reply": [{"text": "pong!"}]},
        {
            "match": {"substring": "slow"},
            "reply": [{"text": "late", "delay_ms": 300}, {"text": "later", "delay_ms": 200}],
        },
        {"match": {"regex": "^add ([0-9]+)$"}, "reply": [{"text": "added"}]},
        {
            "match": {"json": {"path": "type", "equals": "subscribe"}},
            "reply": [{"binary_hex": "0102ff"}, {"text": "subscribed"}],
        },
        {"match": {"text": "bye"}, "close": {"code": 4000, "reason": "asked to"}},
        {"match": {"text": "crash"}, "drop": True},
        {"match": {"text": "hush"}, "reply": [{"text": "hushed"}], "stop_reading": True},
        {"match": {"text": "poke"}, "ping": "are you there"},
    ]
}

TIMER_MS = 100
TIMER_RULES = {"rules": [{"on": "timer", "every_ms": TIMER_MS, "reply": [{"text": "tick"}]}]}


class PingRecorder(websockets.WebSocketClientProtocol):
    """Records the payload of each ping the server sends (websockets answers it itself)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.received_pings = asyncio.Queue()

    async def pong(self, data=b""):  # Called to answer each ping.
        self.received_pings.put_nowait(data)
        await super().pong(data)


class MockServerTests(WsdemoTestCase):
    def rules_file(self, rules):
        handle, path = tempfile.mkstemp(suffix=".json")
        self.addCleanup(os.unlink, path)
        with os.fdopen(handle, "w") as file:
            file.write(rules if isinstance(rules, str) else json.dumps(rules))
        return path

    def serve(self, rules=RULES):
        path = self.rules_file(rules)
        server, url = self.start_echo_server("--rules", path)
        count = len(rules["rules"])
        noun = "rule" if count == 1 else "rules"
        self.waitForStderr(server, rf"^wsdemo: answering by {count} {noun} from {path}$")
        return server, url

    def run_client(self, url, script, **connect_options):
        """Connects, checks the connect rule's welcome, and runs script(ws)."""

        async def client():
            async with websockets.connect(url, close_timeout=1, **connect_options) as ws:
                self.assertEqual(await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT), "welcome")
                return await script(ws)

        return asyncio.run(client())

    async def ask(self, ws, message):
        await ws.send(message)
        return await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)

    async def assertSilent(self, ws):
        with self.assertRaises(asyncio.TimeoutError, msg="a frame came"):
            await asyncio.wait_for(ws.recv(), SILENCE)

    def test_exact_regex_and_unmatched_messages(self):
        _, url = self.serve()

        async def script(ws):
            self.assertEqual(await self.ask(ws, "ping?"), "pong!")
            self.assertEqual(await self.ask(ws, "ping?!"), "ping?!")  # Not exact: echoed.
            self.assertEqual(await self.ask(ws, "add 42"), "added")
            self.assertEqual(await self.ask(ws, "add 4x"), "add 4x")
            self.assertEqual(await self.ask(ws, b"\x00slow?"), "late")  # Binary matches too.
            self.assertEqual(await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT), "later")
            self.assertEqual(await self.ask(ws, b"\x00\x01"), b"\x00\x01")

        self.run_client(url, script)

    def test_delayed_replies_come_after_their_delays_in_order(self):
        _, url = self.serve()

        async def script(ws):
            sent = time.monotonic()
            await ws.send("be slow")
            late = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)
            late_after = time.monotonic() - sent
            later = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)
            later_after = time.monotonic() - sent
            return late, late_after, later, later_after

        late, late_after, later, later_after = self.run_client(url, script)
        print(f"\n300 ms reply after {late_after * 1000:.0f} ms, +200 ms after "
              f"{later_after * 1000:.0f} ms", file=sys.stderr)
        self.assertEqual((late, later), ("late", "later"))
        self.assertGreaterEqual(late_after, 0.3)
        self.assertLess(late_after, 0.3 + MARGIN)
        self.assertGreaterEqual(later_after, 0.5)
        self.assertLess(later_after, 0.5 + MARGIN)

    def test_json_path_equals_answers_binary_then_text(self):
        _, url = self.serve()

        async def script(ws):
            first = await self.ask(ws, json.dumps({"id": 7, "type": "subscribe"}))
            second = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT)
            other = await self.ask(ws, json.dumps({"type": "unsubscribe"}))
            return first, second, other

        first, second, other = self.run_client(url, script)
        self.assertEqual(first, b"\x01\x02\xff")
        self.assertEqual(second, "subscribed")
        self.assertEqual(other, '{"type": "unsubscribe"}')

    def test_close_rule_closes_with_its_code_and_reason(self):
        _, url = self.serve()

        async def script(ws):
            await ws.send("bye")
            await asyncio.wait_for(ws.wait_closed(), REPLY_TIMEOUT)
            return ws.close_code, ws.close_reason

        self.assertEqual(self.run_client(url, script), (4000, "asked to"))

    def test_drop_rule_ends_tcp_without_a_close_frame(self):
        _, url = self.serve()

        async def script(ws):
            await ws.send("crash")
            await asyncio.wait_for(ws.wait_closed(), REPLY_TIMEOUT)
            return ws.close_code

        self.assertEqual(self.run_client(url, script), 1006)

    def test_stop_reading_rule_leaves_later_messages_unread(self):
        _, url = self.serve()

        async def script(ws):
            self.assertEqual(await self.ask(ws, "before"), "before")
            self.assertEqual(await self.ask(ws, "hush"), "hushed")
            await ws.send("after")
            await self.assertSilent(ws)
            ws.transport.abort()  # The server would not read our close either.

        self.run_client(url, script)

    def test_ping_rule_sends_a_ping_with_its_payload(self):
        _, url = self.serve()

        async def script(ws):
            await ws.send("poke")
            payload = await asyncio.wait_for(ws.received_pings.get(), REPLY_TIMEOUT)
            # The connection goes on: the next message is echoed.
            self.assertEqual(await self.ask(ws, "still there"), "still there")
            return payload

        payload = self.run_client(url, script, create_protocol=PingRecorder)
        self.assertEqual(payload, b"are you there")

    def test_timer_rule_ticks_at_its_interval(self):
        _, url = self.serve(TIMER_RULES)
        window = 1.0

        async def client():
            start = time.monotonic()
            ticks = []
            async with websockets.connect(url, close_timeout=1) as ws:
                while (left := start + window - time.monotonic()) > 0:
                    try:
                        ticks.append((await asyncio.wait_for(ws.recv(), left), time.monotonic()))
                    except asyncio.TimeoutError:
                        break
            return start, ticks

        start, ticks = asyncio.run(client())
        print(f"\n{len(ticks)} ticks of {TIMER_MS} ms in {window:.1f} s, the first after "
              f"{(ticks[0][1] - start) * 1000:.0f} ms", file=sys.stderr)
        self.assertTrue(all(text == "tick" for text, _ in ticks), ticks)
        self.assertGreaterEqual(ticks[0][1] - start, TIMER_MS / 1000)
        # At most one a period since the upgrade; a loaded machine may lose two of ten.
        self.assertLessEqual(len(ticks), window * 1000 // TIMER_MS)
        self.assertGreaterEqual(len(ticks), window * 1000 // TIMER_MS - 2)

    def test_bad_rules_file_exits_2_naming_the_rule(self):
        bad = {"rules": [{"match": {"text": "a"}}, {"match": {"text": "b"}, "repy": []}]}
        path = self.rules_file(bad)
        process = self.start("--echo-server", "--rules", path)
        process.close_stdin()
        self.assertExit(process, 2)
        self.assertSaid(process, rf"invalid --rules '{path}': rule 2: unknown field \"repy\"")
        self.assertEqual(process.stdout.lines, [], process.report())


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit(f"usage: {sys.argv[0]} /path/to/wsdemo [unittest options]")
    test_cli.WSDEMO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
