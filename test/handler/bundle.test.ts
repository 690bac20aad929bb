// The built bundle (dist/handler/index.js) runs alone: a fresh `node` process, in a temp dir with
// no node_modules anywhere above it, as in the Lambda runtime (which adds only the AWS SDK).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'handler', 'index.js');
let dir: string;

beforeAll(() => {
  if (!fs.existsSync(BUNDLE)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-handler.mjs')], { cwd: ROOT });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-bundle-'));
  fs.copyFileSync(BUNDLE, path.join(dir, 'index.js'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runInFreshNode(script: string): any {
  fs.writeFileSync(path.join(dir, 'probe.js'), script);
  const out = execFileSync(process.execPath, ['probe.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

test('no node_modules can be found from the temp dir', () => {
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) expect(fs.existsSync(path.join(d, 'node_modules'))).toBe(false);
});

test('the bundle has no require of anything but node built-ins and the runtime SDK', () => {
  const code = fs.readFileSync(BUNDLE, 'utf8');
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  for (const r of required) expect(r).toMatch(/^(node:|@aws-sdk\/client-secrets-manager$)|^(http|https|url|util|events|stream|crypto)$/);
  expect(code).not.toMatch(/aws-cdk-lib|constructs/);
});

test('loads, exports the handler, and delivers to a local webhook through the injected seams', () => {
  const result = runInFreshNode(`
    const http = require('http');
    const mod = require('./index.js');
    const posts = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { posts.push(JSON.parse(body)); res.end('ok'); });
    });
    server.listen(0, '127.0.0.1', async () => {
      const url = 'http://127.0.0.1:' + server.address().port + '/services/T/B/X';
      const handler = mod.createHandler({ env: { SLACK_WEBHOOK_SECRET_ARN: 'arn' }, secrets: { getSecretString: async () => url }, log: () => {} });
      const message = JSON.stringify({ AlarmName: 'db', NewStateValue: 'ALARM', AlarmDescription: 'Severity: SEV1\\nRunbook: https://x.example/rb\\nFirst move: fail over' });
      const out = await handler({ Records: [{ Sns: { MessageId: 'm', Message: message } }] }, { getRemainingTimeInMillis: () => 5000 });
      server.close();
      console.log(JSON.stringify({ exports: Object.keys(mod).sort(), out, text: posts[0].text }));
    });
  `);
  expect(result.exports).toEqual(expect.arrayContaining(['handler', 'createHandler']));
  expect(result.out).toEqual({ delivered: 1, duplicates: 0 });
  expect(result.text).toBe('[SEV1] ALARM: db — fail over');
});

test('the SDK is loaded only when a secret is read: without it the invocation fails (to be retried), never at import', () => {
  const result = runInFreshNode(`
    const logs = [];
    console.log = (line) => logs.push(line);
    process.env.SLACK_WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:x';
    const mod = require('./index.js');
    mod.handler({ Records: [{ Sns: { MessageId: 'm', Message: '{"AlarmName":"a","NewStateValue":"ALARM"}' } }] }, { getRemainingTimeInMillis: () => 3000 })
      .then(() => process.stdout.write(JSON.stringify({ threw: false }) + '\\n'))
      .catch((e) => process.stdout.write(JSON.stringify({ threw: true, message: e.message, log: JSON.parse(logs[0]) }) + '\\n'));
  `);
  expect(result.threw).toBe(true);
  expect(result.message).toMatch(/not delivered to Slack/);
  expect(result.log).toMatchObject({ level: 'error', msg: 'not delivered to slack' });
  expect(result.log.error).toMatch(/webhook secret unavailable: .*client-secrets-manager/);
});
