/* global console, process */
// Bundles the SlackNotifier's Lambda functions when the package is built, each its own entry point
// and its own directory (each function's asset holds its bundle only), so a consumer's `cdk synth`
// needs neither esbuild nor Docker. The AWS SDK v3 comes from the runtime.
//   lib/handler/index.ts         -> dist/handler/index.js                (the notifier: SNS -> Slack)
//   lib/handler/interactivity.ts -> dist/handler-interactivity/index.js  (Slack's button clicks: Acknowledge)
//   lib/handler/escalation.ts    -> dist/handler-escalation/index.js     (an escalation timer fired)
// With --if-stale (what cdk.json's "build" runs before every `cdk synth` of the example app) it
// bundles only when a source is newer than the bundle, so a fresh clone synthesizes right after
// `npm ci`, and a synth never rewrites an up-to-date bundle that tests are reading.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLES = [
  { entry: 'lib/handler/index.ts', outfile: 'dist/handler/index.js' },
  { entry: 'lib/handler/interactivity.ts', outfile: 'dist/handler-interactivity/index.js' },
  { entry: 'lib/handler/escalation.ts', outfile: 'dist/handler-escalation/index.js' },
];
// What the bundle can contain: lint keeps lib/handler to the core and notification layers.
const SOURCES = ['lib/handler', 'lib/notification', 'lib/core'];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function isStale() {
  let built;
  try {
    built = Math.min(...BUNDLES.map((b) => statSync(join(root, b.outfile)).mtimeMs));
  } catch {
    return true;
  }
  return Math.max(newest(fileURLToPath(import.meta.url)), ...SOURCES.map((d) => newest(join(root, d)))) > built;
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

for (const b of BUNDLES) {
  const result = await build({
    entryPoints: [join(root, b.entry)],
    outfile: join(root, b.outfile),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    // Non-ASCII text (emoji, arrows, …) as UTF-8 rather than \u escapes: the same code, fewer bytes.
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`bundled ${b.entry} -> ${b.outfile} (${(bytes / 1024).toFixed(1)} KB)`);
}
