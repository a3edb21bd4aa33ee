#!/usr/bin/python3
"""Checks an echo server, with python-websockets as the client.

Usage: /usr/bin/python3 echo_client_check.py ws://127.0.0.1:PORT/

Each check prints "ok <name>" or "FAIL <name>: <what differed>"; the exit
status is 0 if all passed, 1 otherwise. Every check uses connections of its
own, so that a failure cannot throw the checks after it out of step, and the
whole run is bounded by DEADLINE seconds.
"""

import asyncio
import contextlib
import sys

import websockets
from websockets.frames import Opcode

DEADLINE = 30
CHECK_TIMEOUT = 10
CLOSE_TIMEOUT = 1
# Closing the connections of a check that timed out on an unresponsive server
# takes up to 3 close timeouts (close frame, then TCP close, then abort), so
# checks only get the time that leaves this much before the deadline.
CLOSING_ALLOWANCE = 3 * CLOSE_TIMEOUT

# Sent after the expected echoes: anything received before its echo is extra.
END_MARKER = "end of check"


class Mismatch(Exception):
    """The server did not echo what was sent; the message says how."""


def connect(url):
    return websockets.connect(
        url,
        compression=None,
        max_size=None,
        ping_interval=None,  # no traffic the server did not ask for
        close_timeout=CLOSE_TIMEOUT,
    )


def describe(message):
    if isinstance(message, str):
        return f"text of {len(message.encode())} bytes"
    return f"binary of {len(message)} bytes"


def difference(sent, got):
    """Says how the echo `got` differs from `sent`, or returns None if it doesn't."""
    if type(got) is not type(sent):
        return f"sent {describe(sent)}, got {describe(got)}"
    if got == sent:
        return None
    if max(len(sent), len(got)) <= 40:
        return f"sent {sent!r}, got {got!r}"
    if isinstance(sent, str):
        sent, got = sent.encode(), got.encode()
    offset = next(
        (i for i, (a, b) in enumerate(zip(sent, got)) if a != b),
        min(len(sent), len(got)),
    )
    return f"sent {len(sent)} bytes, got {len(got)}, first difference at byte {offset}"


async def expect_echoes(ws, sent):
    """Checks that the next messages are the echoes of `sent`: in order, whole, once each."""
    for i, message in enumerate(sent):
        problem = difference(message, await ws.recv())
        if problem:
            raise Mismatch(f"echo {i + 1} of {len(sent)}: {problem}")
    await ws.send(END_MARKER)
    got = await ws.recv()
    if got != END_MARKER:
        raise Mismatch(f"extra message after the echoes: {describe(got)}")


async def echo(url, *messages):
    async with connect(url) as ws:
        for message in messages:
            await ws.send(message)
        await expect_echoes(ws, messages)


async def check_fragments(url, fragments):
    async with connect(url) as ws:
        await ws.send(iter(fragments))
        whole = b"".join(fragments) if isinstance(fragments[0], bytes) else "".join(fragments)
        await expect_echoes(ws, [whole])


async def check_split_character(url):
    # The UTF-8 validity of a text message is a property of the whole message:
    # a fragment may end in the middle of a character. send() cannot split a
    # str that way, so write the frames directly.
    text = "✓ split"
    data = text.encode()
    async with connect(url) as ws:
        await ws.write_frame(False, Opcode.TEXT, data[:1])
        await ws.write_frame(True, Opcode.CONT, data[1:])
        await expect_echoes(ws, [text])


async def check_concurrent_connections(url):
    async with contextlib.AsyncExitStack() as stack:
        connections = [await stack.enter_async_context(connect(url)) for _ in range(3)]
        # Close concurrently, so that closing them all takes one close timeout.
        stack.push_async_callback(
            asyncio.gather, *(ws.close() for ws in connections)
        )
        sent = [[f"connection {n} message {i}" for i in range(100)] for n in range(3)]
        # Interleave the sends so that the server has all three busy at once.
        for i in range(100):
            for ws, messages in zip(connections, sent):
                await ws.send(messages[i])

        async def expect_own_echoes(n):
            try:
                await expect_echoes(connections[n], sent[n])
            except Mismatch as e:
                raise Mismatch(f"connection {n}: {e}") from None

        await asyncio.gather(*(expect_own_echoes(n) for n in range(3)))


async def check_close(url):
    ws = await connect(url)
    await ws.close(1000, "done")
    if ws.close_code != 1000:
        raise Mismatch(
            f"closing with 1000 ended with {ws.close_code} {ws.close_reason!r}"
        )


CHECKS = [
    ("ascii text", lambda url: echo(url, "hello, echo server")),
    ("utf-8 text", lambda url: echo(url, "héllo wörld ✓ 日本語 🎉")),
    ("empty text", lambda url: echo(url, "")),
    ("binary with 0x00 and 0xff", lambda url: echo(url, bytes(range(256)))),
    ("fragmented text", lambda url: check_fragments(url, ["frag", "", "mented ✓"])),
    ("fragmented binary", lambda url: check_fragments(url, [b"\x00\x01", b"", b"\xfe\xff"])),
    ("text fragments splitting a utf-8 character", check_split_character),
    # Numbered, so that a misplaced chunk shows up at the right offset.
    ("1 MiB text", lambda url: echo(url, "".join(f"{i:08d}" for i in range(1 << 17)))),
    ("1000 pipelined messages", lambda url: echo(url, *(f"message {i}" for i in range(1000)))),
    ("3 concurrent connections", check_concurrent_connections),
    ("close with 1000", check_close),
]


async def run(url):
    """Runs all the checks, printing one line each; returns whether all passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE - CLOSING_ALLOWANCE
    passed = True
    for name, check in CHECKS:
        budget = min(CHECK_TIMEOUT, deadline - loop.time())
        try:
            if budget <= 0:
                raise Mismatch(f"not run: the {DEADLINE} s deadline has passed")
            await asyncio.wait_for(check(url), budget)
        except Mismatch as e:
            problem = str(e)
        # Before OSError, of which it is a subclass.
        except asyncio.TimeoutError:
            problem = f"no answer within {budget:.1f} s"
        except websockets.ConnectionClosed as e:
            problem = f"connection closed unexpectedly: {e}"
        except (OSError, websockets.InvalidHandshake) as e:
            problem = f"cannot connect: {e}"
        else:
            print(f"ok {name}", flush=True)
            continue
        print(f"FAIL {name}: {problem}", flush=True)
        passed = False
    return passed


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} ws://127.0.0.1:PORT/")
    sys.exit(0 if asyncio.run(run(sys.argv[1])) else 1)


if __name__ == "__main__":
    main()
