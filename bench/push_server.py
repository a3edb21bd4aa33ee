#!/usr/bin/python3
"""A WebSocket server that pushes messages at the window, for the benchmark's app rows.

    push_server.py spaced COUNT MIN_MS MAX_MS   COUNT text messages, each after a random pause
    push_server.py flood COUNT [wait]           COUNT 32-byte text messages, as fast as the
                                                connection takes them; with `wait`, only once a
                                                line arrives on stdin (after "connected")
    push_server.py scripts PAUSE_MS             one text message in each of SCRIPTS (a script
                                                the window has no glyphs for yet), PAUSE_MS apart

Serves one client on 127.0.0.1. Prints the port, then "sent N" lines as it goes (flood: every
tenth of COUNT) and "done" once the client has read everything (its pong to a ping sent after
the last message), then waits for the client to close.
"""

import asyncio
import random
import sys

import websockets

FLOOD_BATCH = 1000  # Frames per write: the server's own per-message cost stays small.
SCRIPTS = ("Здравствуй, мир", "Γειά σου κόσμε", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया",
           "สวัสดีชาวโลก", "你好，世界", "こんにちは世界", "안녕하세요 세계", "Բարեւ աշխարհ",
           "გამარჯობა მსოფლიო", "ሰላም ልዑል", "வணக்கம் உலகம்", "👋🌍 hello")


def say(line):
    print(line, flush=True)


async def spaced(ws, count, min_ms, max_ms):
    for i in range(count):
        await asyncio.sleep(random.uniform(min_ms, max_ms) / 1000)
        await ws.send(f"message {i + 1} of {count}")


async def scripts(ws, pause_ms):
    for text in SCRIPTS:
        await asyncio.sleep(pause_ms / 1000)
        await ws.send(text)


async def flood(ws, count):
    # Whole frames straight to the transport, with websockets' own flow control: a server
    # frame is 2 header bytes (FIN + text, length 32) and the unmasked payload.
    step = max(1, count // 10)
    sent = 0
    while sent < count:
        batch = min(FLOOD_BATCH, count - sent)
        ws.transport.write(b"".join(b"\x81\x20" + f"flood {i:>26}".encode()
                                    for i in range(sent + 1, sent + batch + 1)))
        await ws.drain()
        if (sent + batch) // step > sent // step:
            say(f"sent {sent + batch}")
        sent += batch


async def main():
    mode, count = sys.argv[1], int(sys.argv[2])
    served = asyncio.Event()
    finished = asyncio.Event()

    async def handler(ws, _path):
        if served.is_set():
            return await ws.close(1013, "one client only")
        served.set()
        if mode == "spaced":
            await spaced(ws, count, float(sys.argv[3]), float(sys.argv[4]))
        elif mode == "scripts":
            await scripts(ws, count)
        else:
            if sys.argv[3:] == ["wait"]:
                say("connected")
                await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
            await flood(ws, count)
        await (await ws.ping())
        say("done")
        await ws.wait_closed()
        finished.set()

    async with websockets.serve(handler, "127.0.0.1", 0, compression=None,
                                ping_interval=None) as server:
        say(server.sockets[0].getsockname()[1])
        await finished.wait()


if __name__ == "__main__":
    asyncio.run(main())
