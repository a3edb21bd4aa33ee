#!/usr/bin/python3
"""A scriptable WebSocket server for testing the client against a peer we did not write.

Usage: /usr/bin/python3 scripted_server.py [--tls CERT KEY [--client-ca CA]]
                                           [--pick SUBPROTOCOL] [--deflate]

Listens on an ephemeral port of 127.0.0.1 and prints its URL
(``ws://127.0.0.1:PORT/``, or ``wss://`` with --tls) as the first line of
stdout. Runs until SIGTERM or SIGINT, or until stdin reaches EOF, so that it
dies with the test that spawned it with a stdin pipe.

  --client-ca CA   require a client certificate issued by CA (TLS only)
  --pick NAME      answer with subprotocol NAME when the client offers it;
                   without --pick, no subprotocol is ever chosen
  --deflate        accept permessage-deflate when offered (refused otherwise)

Every message received is echoed back unchanged, with its type, except text
messages starting with "!": the rest of those is a JSON command making the
server do what an echo server never would, e.g. ``!{"op":"abort"}``:

  {"op":"fragments","parts":["a","b"],"binary":false}
                      one message sent as these fragments (hex strings if binary)
  {"op":"close","code":4000,"reason":"bye"}    closing handshake with this code
  {"op":"close_no_status"}     close frame without payload (the peer sees 1005)
  {"op":"abort"}               drop TCP without a close frame (the peer sees 1006)
  {"op":"raw","hex":"8100","then":"abort"}     these bytes on the wire, then
                               optionally drop TCP
  {"op":"stop_reading"}        read nothing more: pings go unanswered; with
                               "ack":true, then replies "reading stopped"
  {"op":"flood","count":N,"size":S}            N messages "0...", "1...", each
                               padded with "." to S bytes
  {"op":"burst","count":N,"prefix":"m"}        N text messages m0 .. m{N-1}
  {"op":"binary","hex":"00ff10"}               one binary message
  {"op":"big","size":N,"fragment":F}         one N-byte text message:
                               "0123456789" repeated, in fragments of F bytes if given
  {"op":"report"}              replies {"received": K}, K = messages echoed so far
  {"op":"handshake"}           replies with what this connection's upgrade
                               request held and what was agreed:
                               {"path": "/x?y", "headers": [[name, value], ...]
                               (in order, as sent), "origin": value or null,
                               "offered_extensions": [header values],
                               "subprotocol": chosen or null,
                               "extensions": the answer's header or null}
  {"op":"drop","refuse_ms":N}  drops TCP like "abort"; with refuse_ms, also
                               closes the listening socket (connections are
                               refused) and listens again on the same port
                               N ms later
  {"op":"connections"}         replies {"accepted": [t, ...], "dropped": [t, ...],
                               "relistened": [t, ...]}: when each TCP
                               connection was accepted, each "drop" done and
                               each listener reopened, in seconds of
                               time.monotonic() (CLOCK_MONOTONIC, the clock of
                               std::chrono::steady_clock on Linux)

A request for the path /status/NNN is answered with HTTP status NNN instead
of the upgrade to WebSocket.

An unknown op closes the connection with 1008 "unknown op", a malformed
command with 1008 "bad command".
"""

import argparse
import asyncio
import functools
import http
import json
import os
import signal
import ssl
import sys
import threading
import time

import websockets
from websockets.exceptions import ProtocolError
from websockets.frames import Close
from websockets.legacy.server import WebSocketServerProtocol

# Bounds how long closing handshakes (scripted ones and those at shutdown)
# wait for an unresponsive client.
CLOSE_TIMEOUT = 3


class UnknownOp(Exception):
    pass


class Listener:
    """The listening socket, which "drop" can close for a while and reopen on the same port,
    and the times of what happened to connections."""

    def __init__(self, serve_options):
        self.serve_options = serve_options
        self.port = 0  # Ephemeral at first, then the same one for every reopening.
        self.servers = []  # Every websockets server opened, to close them all at the end.
        self.accepted = []
        self.dropped = []
        self.relistened = []

    async def listen(self):
        server = await websockets.serve(
            functools.partial(serve_connection, self), "127.0.0.1", self.port,
            create_protocol=functools.partial(TimedProtocol, self.accepted),
            **self.serve_options)
        self.port = server.sockets[0].getsockname()[1]
        self.servers.append(server)

    def refuse_for(self, milliseconds):
        # Only the listening socket: the connections it accepted stay as they are.
        self.servers[-1].server.close()
        asyncio.get_running_loop().call_later(
            milliseconds / 1000, lambda: asyncio.create_task(self.relisten()))

    async def relisten(self):
        await self.listen()
        self.relistened.append(time.monotonic())

    async def close(self):
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()


class TimedProtocol(WebSocketServerProtocol):
    """Notes when the TCP connection was accepted, before any byte of the handshake."""

    def __init__(self, accepted, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted = accepted

    def connection_made(self, transport):
        self.accepted.append(time.monotonic())
        super().connection_made(transport)


def handshake_record(ws):
    request = ws.request_headers
    return {
        "path": ws.path,
        "headers": [[name, value] for name, value in request.raw_items()],
        "origin": request.get("Origin"),
        "offered_extensions": request.get_all("Sec-WebSocket-Extensions"),
        "subprotocol": ws.subprotocol,
        "extensions": ws.response_headers.get("Sec-WebSocket-Extensions"),
    }


async def run_command(listener, ws, command, received):
    op = command["op"]
    if op == "fragments":
        parts = command["parts"]
        if command.get("binary", False):
            parts = [bytes.fromhex(part) for part in parts]
        await ws.send(iter(parts))
    elif op == "close":
        close = Close(command["code"], command.get("reason", ""))
        # Validate first: close() would fail only after leaving the OPEN state,
        # too late to report the bad command with a close frame of our own.
        close.check()
        await ws.close(close.code, close.reason)
    elif op == "close_no_status":
        # close() always sends a status code, so write the empty close frame
        # ourselves, through the method that also moves the state to CLOSING.
        # close() then just waits (bounded) for the reply and drops TCP.
        await ws.write_close_frame(Close(1005, ""), b"")
        await ws.close()
    elif op == "abort":
        ws.transport.abort()
    elif op == "raw":
        # Bytes on the wire as they are: frames websockets would refuse to send
        # (reserved bits and opcodes, bad close payloads, masked frames...).
        ws.transport.write(bytes.fromhex(command["hex"]))
        if command.get("then") == "abort":
            ws.transport.abort()
    elif op == "stop_reading":
        # Pings go unanswered from now on: a peer that hangs.
        ws.transport.pause_reading()
        if command.get("ack"):
            await ws.send("reading stopped")
    elif op == "burst":
        for i in range(command["count"]):
            await ws.send(f"{command['prefix']}{i}")
    elif op == "binary":
        await ws.send(bytes.fromhex(command["hex"]))
    elif op == "big":
        size = command["size"]
        text = ("0123456789" * (size // 10 + 1))[:size]
        step = command.get("fragment", size) or 1
        await ws.send(iter([text[i:i + step] for i in range(0, size, step)]) if step < size else text)
    elif op == "flood":
        # count numbered messages, each padded with "." to size bytes.
        size = command.get("size", 0)
        for i in range(command["count"]):
            await ws.send(f"{i}".ljust(size, "."))
    elif op == "report":
        await ws.send(json.dumps({"received": received}))
    elif op == "handshake":
        await ws.send(json.dumps(handshake_record(ws)))
    elif op == "drop":
        # Noted first: the listener reopens no sooner than refuse_ms after this time.
        listener.dropped.append(time.monotonic())
        refuse_ms = command.get("refuse_ms", 0)
        if refuse_ms:
            listener.refuse_for(refuse_ms)
        ws.transport.abort()
    elif op == "connections":
        await ws.send(json.dumps({"accepted": listener.accepted, "dropped": listener.dropped,
                                  "relistened": listener.relistened}))
    else:
        raise UnknownOp(op)


async def answer_status_paths(path, request_headers):
    """Answers /status/NNN with that HTTP status; other paths go on to the upgrade."""
    if path.startswith("/status/"):
        status = http.HTTPStatus(int(path[len("/status/"):]))
        return status, [("Content-Type", "text/plain")], f"{status.phrase}\n".encode()
    return None


async def serve_connection(listener, ws, path):
    received = 0  # non-command messages, for the "report" command
    try:
        async for message in ws:
            if isinstance(message, str) and message.startswith("!"):
                try:
                    await run_command(listener, ws, json.loads(message[1:]), received)
                except UnknownOp:
                    await ws.close(1008, "unknown op")
                except (ValueError, KeyError, TypeError, ProtocolError):
                    await ws.close(1008, "bad command")
            else:
                received += 1
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass  # Aborts, from either side, are part of the tests, not errors.


def set_at_stdin_eof(loop, event):
    """Blocks until stdin reaches EOF (the parent is gone), then sets event."""
    try:
        while os.read(sys.stdin.fileno(), 4096):
            pass
    except OSError:
        pass  # A closed or unreadable stdin counts as EOF too.
    loop.call_soon_threadsafe(event.set)


def ignore_websockets_shutdown_bug(loop, context):
    """websockets 10.4 closes, at shutdown, connections that /status/NNN answered without an
    upgrade, and fails with an AttributeError that only clutters the test log."""
    error = context.get("exception")
    if isinstance(error, AttributeError) and "transfer_data_task" in str(error):
        return
    loop.default_exception_handler(context)


def tls_context(arguments):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*arguments.tls)
    if arguments.client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(arguments.client_ca)
    return context


async def main(arguments):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(ignore_websockets_shutdown_bug)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    # A daemon thread, so that a signal can end the process while it still
    # blocks in read().
    threading.Thread(target=set_at_stdin_eof, args=(loop, stop), daemon=True).start()

    listener = Listener(dict(
        max_size=None,  # the client tests send messages of 16 MiB and more
        ping_interval=None,  # never close a client for missing a ping
        compression="deflate" if arguments.deflate else None,
        subprotocols=[arguments.pick] if arguments.pick else None,
        close_timeout=CLOSE_TIMEOUT,
        process_request=answer_status_paths,
        ssl=tls_context(arguments) if arguments.tls else None,
    ))
    await listener.listen()
    scheme = "wss" if arguments.tls else "ws"
    print(f"{scheme}://127.0.0.1:{listener.port}/", flush=True)
    await stop.wait()
    await listener.close()
    # The test's SIGTERM may come while the interpreter shuts down: let it end the process
    # instead of asyncio complaining that its wake-up pipe is gone.
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(signum)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A scriptable WebSocket server for tests.")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                        help="serve wss:// with this certificate chain and key (PEM)")
    parser.add_argument("--client-ca", metavar="CA",
                        help="with --tls, require a client certificate issued by CA (PEM)")
    parser.add_argument("--pick", metavar="SUBPROTOCOL",
                        help="choose this subprotocol when the client offers it")
    parser.add_argument("--deflate", action="store_true",
                        help="accept permessage-deflate (refused by default)")
    arguments = parser.parse_args()
    if arguments.client_ca and not arguments.tls:
        parser.error("--client-ca needs --tls")
    asyncio.run(main(arguments))
