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

const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 << 20 });
ws.binaryType = 'nodebuffer';
ws.on('error', (error) => {
  console.error(`ws_client.js: ${error.message}`);
  process.exit(1);
});

const now = () => process.hrtime.bigint();
const lines = [];
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
