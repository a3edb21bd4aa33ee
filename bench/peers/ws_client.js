// The node `ws` client as a benchmark peer: the same command line and output as
// wsdemo_bench_channel (see bench/channel_client.cpp). Binary messages, no compression.
'use strict';
const WebSocket = require('ws');

const [url, mode, sizeText, countText, warmupText] = process.argv.slice(2);
const payload = Buffer.alloc(Number(sizeText), 'x');
const count = Number(countText);
const warmup = Number(warmupText || 0);

// A stuck run fails instead of hanging the benchmark; unref: it does not keep node alive.
setTimeout(() => {
  console.error('ws_client.js: no result within the deadline');
  process.exit(1);
}, 120000).unref();

const options = { perMessageDeflate: false, maxPayload: 64 << 20 };
// wss://: the CA to trust, as the Channel is given it (bench/run_bench.py sets it).
if (process.env.WSDEMO_BENCH_CA) options.ca = require('fs').readFileSync(process.env.WSDEMO_BENCH_CA);
const failed = (error) => {
  console.error(`ws_client.js: ${error.message}`);
  process.exit(1);
};
const now = () => process.hrtime.bigint();
const lines = [];

// connect: COUNT connections one after another, each timed from the call that opens it to the
// open event, then closed (1000) before the next.
if (mode === 'connect') {
  let done = 0;
  const next = () => {
    const start = now();
    const socket = new WebSocket(url, options);
    socket.on('error', failed);
    socket.on('open', () => {
      const took = Number(now() - start);  // ns
      if (done >= warmup) lines.push((took / 1e3).toFixed(3));
      socket.close(1000);
    });
    socket.on('close', () => {
      if (++done === warmup + count) process.stdout.write(lines.join('\n') + '\n');
      else next();
    });
  };
  next();
  return;
}

const ws = new WebSocket(url, options);
ws.binaryType = 'nodebuffer';
ws.on('error', failed);

const finish = () => {
  process.stdout.write(lines.join('\n') + '\n');
  ws.close(1000);
};

ws.on('open', () => {
  if (mode === 'rtt' || mode === 'big') {
    // One message in flight: each echo sends the next.
    const total = mode === 'rtt' ? warmup + count : count;
    let done = 0;
    let start = now();
    ws.on('message', () => {
      const took = Number(now() - start);  // ns
      if (mode === 'big') lines.push((took / 1e9).toFixed(6));
      else if (done >= warmup) lines.push((took / 1e3).toFixed(3));
      if (++done === total) return finish();
      start = now();
      ws.send(payload);
    });
    ws.send(payload);
  } else if (mode === 'throughput') {
    let received = 0;
    const start = now();
    ws.on('message', () => {
      if (++received === count) {
        lines.push((Number(now() - start) / 1e9).toFixed(6));
        finish();
      }
    });
    for (let i = 0; i < count; i++) ws.send(payload);
  } else {
    console.error(`ws_client.js: unknown mode ${mode}`);
    process.exit(2);
  }
});
