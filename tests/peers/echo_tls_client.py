#!/usr/bin/python3
"""A wss:// client that trusts only the given CA: checks one text and one binary echo.

Usage: /usr/bin/python3 echo_tls_client.py wss://127.0.0.1:PORT/ CA_FILE

Prints "ok" and exits 0 if both echoes came back unchanged, else prints what
went wrong and exits 1. Bounded by DEADLINE seconds.
"""

import asyncio
import ssl
import sys

import websockets

DEADLINE = 10


async def check(url, ca_file):
    context = ssl.create_default_context(cafile=ca_file)
    async with websockets.connect(url, ssl=context, compression=None) as ws:
        for message in ("hello over TLS ✓", bytes(range(256))):
            await ws.send(message)
            echo = await ws.recv()
            if echo != message:
                return f"sent {message!r}, got {echo!r}"
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} wss://127.0.0.1:PORT/ CA_FILE")
    try:
        problem = asyncio.run(asyncio.wait_for(check(*sys.argv[1:]), DEADLINE))
    except Exception as e:  # Any failure is the answer: report it in one line.
        problem = f"{type(e).__name__}: {e}"
    print(problem or "ok", flush=True)
    sys.exit(1 if problem else 0)


if __name__ == "__main__":
    main()
