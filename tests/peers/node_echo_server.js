// An echo server on node's `ws` (Debian node-ws), a peer we did not write, for recording and
// replaying against. Run: NODE_PATH=/usr/share/nodejs node node_echo_server.js [options]
//
// Listens on an ephemeral port of 127.0.0.1 and prints the port on the first line of stdout.
// Echoes each message with its type, and picks the first subprotocol offered. A "changed
// server" for replays, counting the messages of each connection from 1:
//   --change N   the echo of message N gets " (changed)" appended (binary: one byte 0x21)
//   --skip N     message N gets no echo
//   --extra N    after the echo of message N, also the text "extra"
// Exits when stdin reaches EOF, or at SIGTERM.
'use strict';
const WebSocket = require('ws');

const options = { change: 0, skip: 0, extra: 0 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const name = args[i].replace(/^--/, '');
  if (!(name in options) || !/^[0-9]+$/.test(args[i + 1] || '')) {
    console.error(`node_echo_server.js: bad argument ${args[i]}`);
    process.exit(2);
  }
  options[name] = Number(args[i + 1]);
}

const server = new WebSocket.Server({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (protocols) => {
    const offered = [...protocols];
    return offered.length ? offered[0] : false;
  },
});
server.on('listening', () => console.log(String(server.address().port)));
server.on('connection', (socket) => {
  let count = 0;
  socket.on('message', (data, isBinary) => {
    count += 1;
    if (count === options.skip) return;
    let reply = data;
    if (count === options.change)
      reply = isBinary ? Buffer.concat([data, Buffer.from([0x21])])
                       : Buffer.from(data.toString() + ' (changed)');
    socket.send(reply, { binary: isBinary });
    if (count === options.extra) socket.send('extra');
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
