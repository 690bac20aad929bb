// The acknowledge endpoint under a flood (`npm run bench:flood`): the built interactivity function
// (dist/functions/interactivity/index.js, its production `handler`, configured as the construct
// configures it) in a fresh node process behind a tiny HTTP adapter that turns each request into
// a function URL event, as Lambda's function URL does; AWS (Secrets Manager, DynamoDB as dynalite,
// Scheduler) and Slack are the stand-ins, in this process. A loopback load generator sends forged
// requests (well-formed, fresh, signed with another secret: the most expensive kind to refuse) over
// --connections keep-alive connections for --seconds, while real clicks acknowledge one incident each.
//  1. the handler's own time to refuse a forged request, warm (measured inside the function's
//     process around each call): goal well under 1 ms;
//  2. forged requests one warm container refuses per second: the handler alone, one after the
//     other (as a Lambda environment takes them), and end to end through the adapter;
//  3. a real click's answer time, alone and during the flood (Slack waits 3 s).
// The adapter hands every request to the handler at once, as one node process serves them (a Lambda
// environment takes one request at a time: see docs/slack-app.md for what that means under a flood).
// Flags: --seconds <n> (default 5), --connections <n> (default 16), --clicks <n> (default 20).
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { median, numberFlag } from './args';
import { bundle, startOnCallWorld } from './on-call-world';
import { blockActions, signedRequest } from '../test/support/escalation-setup';
import { StoredMessage } from '../test/support/slack-web-api-stand-in';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const SECONDS = numberFlag(args, '--seconds', 5);
const CONNECTIONS = numberFlag(args, '--connections', 16);
const CLICKS = numberFlag(args, '--clicks', 20);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** The function URL in front of the handler: method, headers, body, source IP in; status, headers, body out. Also reports the handler's own time per status. */
const ADAPTER = `
const http = require('http');
console.log = () => {};
const { handler } = require('./index.js');
const times = {};
let seq = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    if (req.url === '/stats') { res.end(JSON.stringify(times)); for (const k of Object.keys(times)) delete times[k]; return; }
    if (req.url.startsWith('/serial')) {
      // The handler alone, one request after the other (as a Lambda environment takes them): the body is the event.
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const n = Number(new URL(req.url, 'http://x').searchParams.get('n'));
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await handler(event, { getRemainingTimeInMillis: () => 10000, awsRequestId: 's' + i });
      res.end(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6 }));
      return;
    }
    const event = { version: '2.0', rawPath: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), isBase64Encoded: false,
      requestContext: { http: { method: req.method, path: req.url, sourceIp: req.socket.remoteAddress } } };
    const t = process.hrtime.bigint();
    const out = await handler(event, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'r' + ++seq });
    (times[out.statusCode] ??= []).push(Number(process.hrtime.bigint() - t) / 1e3);
    res.writeHead(out.statusCode, out.headers);
    res.end(out.body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
`;

async function main(): Promise<void> {
  const world = await startOnCallWorld();
  const { envs } = world;
  // Incidents to acknowledge, one per click.
  const parents: StoredMessage[] = [];
  for (let i = 0; i < CLICKS * 2; i++) parents.push(await world.open());

  // The function in a fresh process, alone in a temp dir (the SDK from NODE_PATH, as the runtime provides it).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flood-bench-'));
  fs.copyFileSync(bundle('interactivity'), path.join(dir, 'index.js'));
  fs.writeFileSync(path.join(dir, 'adapter.js'), ADAPTER);
  const child: ChildProcess = spawn(process.execPath, ['adapter.js'], { cwd: dir, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...envs.interactivity } });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(JSON.parse(String(d)).port));
    child.once('exit', (code) => reject(new Error(`the adapter exited ${code}`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS + 4 });
  const send = (e: { headers: Record<string, string>; body: string; requestContext: { http: { method: string } } }) => new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: e.requestContext.http.method, path: '/', headers: e.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(e.body);
  });
  const stats = async (): Promise<Record<string, number[]>> => new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: '/stats', agent }, (res) => {
    let s = '';
    res.on('data', (c) => (s += c));
    res.on('end', () => resolve(JSON.parse(s)));
  }));
  let next = 0;
  const click = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const status = await send(signedRequest(blockActions(parents[next++], 'U0ALICE'), Math.floor(Date.now() / 1000)));
    if (status !== 200) throw new Error(`a real click answered ${status}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const forged = () => signedRequest(blockActions(parents[0], 'U0MALLORY'), Math.floor(Date.now() / 1000), { secret: 'another-secret-of-32-characters0' });

  // Warm up: the first request reads the signing secret and the bot token, and loads the SDK.
  await click();
  await send(forged());
  await stats();

  // 3a. Real clicks alone.
  const alone: number[] = [];
  for (let i = 1; i < CLICKS; i++) alone.push(await click());

  // 2a. The handler alone, serially.
  const serialN = 20_000;
  const serial = await new Promise<{ ms: number }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/serial?n=${serialN}`, agent }, (res) => {
      let out = '';
      res.on('data', (c) => (out += c));
      res.on('end', () => resolve(JSON.parse(out)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(forged()));
  });
  await stats();

  // 1, 2b, 3b. The flood, with real clicks in it (the flood lasts until the last click is answered).
  const load = os.loadavg()[0];
  const counts: Record<number, number> = {};
  const during: number[] = [];
  let flooding = true;
  const started = Date.now();
  const flooders = Array.from({ length: CONNECTIONS }, async () => {
    while (flooding) {
      const status = await send(forged());
      counts[status] = (counts[status] ?? 0) + 1;
    }
  });
  const clicker = (async () => {
    for (let i = 0; i < CLICKS; i++) {
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / (CLICKS + 1)));
      during.push(await click());
    }
  })();
  await Promise.all([clicker, new Promise((r) => setTimeout(r, SECONDS * 1000))]);
  flooding = false;
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(flooders);
  const inside = await stats();
  const refusedUs = inside['401'] ?? [];
  child.kill();
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  await world.close();

  const forgedTotal = counts[401] ?? 0;
  const results = {
    refuseForgedWarm: { medianUs: +median(refusedUs).toFixed(1), p99Us: +percentile(refusedUs, 0.99).toFixed(1), maxUs: +Math.max(...refusedUs).toFixed(1), samples: refusedUs.length, goalUs: 1000 },
    forgedPerSecond: { handlerSerially: Math.round(serialN / (serial.ms / 1000)), endToEnd: Math.round(forgedTotal / elapsed), connections: CONNECTIONS, seconds: +elapsed.toFixed(1),
      otherStatuses: Object.fromEntries(Object.entries(counts).filter(([s]) => s !== '401')) },
    realClickMs: { alone: { median: +median(alone).toFixed(1), max: +Math.max(...alone).toFixed(1) }, duringFlood: { median: +median(during).toFixed(1), max: +Math.max(...during).toFixed(1) }, clicks: CLICKS, goalMs: 3000 },
    loadAverage: +load.toFixed(2), cpus: os.cpus().length,
  };
  console.log(`forged request refused in ${results.refuseForgedWarm.medianUs} µs (median; p99 ${results.refuseForgedWarm.p99Us} µs) by the warm handler; goal < 1000 µs`);
  console.log(`one warm container refused ${results.forgedPerSecond.handlerSerially} forged requests/s (the handler alone, one after the other), ` +
    `${results.forgedPerSecond.endToEnd}/s end to end over ${CONNECTIONS} loopback connections for ${elapsed.toFixed(1)} s`);
  console.log(`a real click answered in ${results.realClickMs.alone.median} ms alone (max ${results.realClickMs.alone.max}), ` +
    `${results.realClickMs.duringFlood.median} ms during the flood (max ${results.realClickMs.duringFlood.max}); Slack waits 3000 ms`);
  console.log(`load average ${load.toFixed(2)} on ${os.cpus().length} cores`);
  console.log(JSON.stringify(results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
