#!/usr/bin/python3
"""The python3-websockets client as a benchmark peer: the same command line and output as
wsdemo_bench_channel (see bench/channel_client.cpp). Binary messages, no compression."""

import asyncio
import sys
import time

import websockets

DEADLINE_S = 120  # A stuck run fails instead of hanging the benchmark.


async def run(url, mode, size, count, warmup):
    payload = b"x" * size
    lines = []
    async with websockets.connect(url, compression=None, max_size=None) as ws:
        if mode in ("rtt", "big"):
            total = warmup + count if mode == "rtt" else count
            for i in range(total):
                start = time.perf_counter_ns()
                await ws.send(payload)
                await ws.recv()
                took = time.perf_counter_ns() - start
                if mode == "big":
                    lines.append(f"{took / 1e9:.6f}")
                elif i >= warmup:
                    lines.append(f"{took / 1e3:.3f}")
        elif mode == "throughput":
            start = time.perf_counter_ns()

            async def sender():
                for _ in range(count):
                    await ws.send(payload)

            # Sending and receiving at once: the server stops reading from a client that does
            # not read its echoes.
            sending = asyncio.create_task(sender())
            for _ in range(count):
                await ws.recv()
            await sending
            lines.append(f"{(time.perf_counter_ns() - start) / 1e9:.6f}")
        else:
            sys.exit(f"ws_client.py: unknown mode {mode}")
    print("\n".join(lines))


def main():
    url, mode, size, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    asyncio.run(asyncio.wait_for(run(url, mode, size, count, warmup), DEADLINE_S))


if __name__ == "__main__":
    main()
