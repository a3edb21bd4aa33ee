#!/usr/bin/python3
"""A python-websockets server that reports every frame it receives, to check what a client
puts on the wire (pongs, close frames no well-behaved client sends).

Usage: /usr/bin/python3 frame_peer.py [--ping PAYLOAD] [--subprotocol NAME]

Prints its URL (ws://127.0.0.1:PORT/) as the first line of stdout, then one JSON line per
frame received, as it arrives: {"opcode": 1, "hex": "6869", "at": monotonic seconds}.
Exits at SIGTERM or when stdin reaches EOF.

  --ping PAYLOAD      on each connection, send a ping with PAYLOAD, then the text "pinged"
  --subprotocol NAME  agree to subprotocol NAME when the client offers it

Text messages are echoed, except "!raw HEX", which puts those bytes on the wire as they are.
"""

import argparse
import asyncio
import json
import logging
import sys
import time

import websockets
from websockets.legacy.server import WebSocketServerProtocol


class ReportingProtocol(WebSocketServerProtocol):
    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        print(json.dumps({"opcode": int(frame.opcode), "hex": frame.data.hex(),
                          "at": time.monotonic()}), flush=True)
        return frame


# A client that closes with a code it must not send is what some tests are about.
logging.getLogger("websockets").setLevel(logging.CRITICAL)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ping")
    parser.add_argument("--subprotocol")
    args = parser.parse_args()

    async def handler(ws, path):
        if args.ping is not None:
            await ws.ping(args.ping.encode())
            await ws.send("pinged")
        async for message in ws:
            if isinstance(message, str) and message.startswith("!raw "):
                ws.transport.write(bytes.fromhex(message[5:]))
            else:
                await ws.send(message)

    async with websockets.serve(handler, "127.0.0.1", 0, create_protocol=ReportingProtocol,
                                close_timeout=1,
                                subprotocols=[args.subprotocol] if args.subprotocol else None) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"ws://127.0.0.1:{port}/", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
