/* global console, process */
// Bundles the SlackNotifier's Lambda functions when the package is built, each its own entry point
// and its own directory (each function's asset holds its bundle only), so a consumer's `cdk synth`
// needs neither esbuild nor Docker. The AWS SDK v3 comes from the runtime. The construct picks the
// notifier's bundle by mode, so a webhook user deploys none of the Slack app's code.
//   lib/functions/notifier/webhook.ts    -> dist/functions/notifier-webhook/index.js (SNS -> Slack incoming webhook)
//   lib/functions/notifier/app.ts        -> dist/functions/notifier-app/index.js     (SNS -> Slack app: incident threads)
//   lib/functions/interactivity/index.ts -> dist/functions/interactivity/index.js    (Slack's button clicks: Acknowledge)
//   lib/functions/escalation/index.ts    -> dist/functions/escalation/index.js       (an escalation timer fired)
//   lib/functions/handoff/index.ts       -> dist/functions/handoff/index.js          (a rotation's handoff: who takes over, what is open)
// With --if-stale (what cdk.json's "build" runs before every `cdk synth` of the example app) it
// bundles only when a source is newer than the bundle, so a fresh clone synthesizes right after
// `npm ci`, and a synth never rewrites an up-to-date bundle that tests are reading.
// With --analyze it also prints, per bundle, the bytes each source module contributes to the
// minified output, largest first (--analyze=N for the top N, default 15): where a bundle's size is.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLES = [
  { entry: 'lib/functions/notifier/webhook.ts', outfile: 'dist/functions/notifier-webhook/index.js' },
  { entry: 'lib/functions/notifier/app.ts', outfile: 'dist/functions/notifier-app/index.js' },
  { entry: 'lib/functions/interactivity/index.ts', outfile: 'dist/functions/interactivity/index.js' },
  { entry: 'lib/functions/escalation/index.ts', outfile: 'dist/functions/escalation/index.js' },
  { entry: 'lib/functions/handoff/index.ts', outfile: 'dist/functions/handoff/index.js' },
];
// What a bundle can contain: lint keeps lib/functions to the core, notification and health layers.
const SOURCES = ['lib/functions', 'lib/notification', 'lib/core', 'lib/health'];

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

const analyzeArg = process.argv.find((a) => a === '--analyze' || a.startsWith('--analyze='));
const analyzeTop = analyzeArg ? Number(analyzeArg.split('=')[1] ?? 15) : 0;

/** The top modules of one bundle by the bytes they contribute to its output. */
function analyze(metafile, top) {
  const output = Object.values(metafile.outputs)[0];
  const rows = Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter((r) => r.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const width = Math.max(...rows.slice(0, top).map((r) => r.path.length));
  for (const r of rows.slice(0, top)) {
    const share = ((100 * r.bytes) / output.bytes).toFixed(1).padStart(5);
    console.log(`  ${r.path.padEnd(width)}  ${(r.bytes / 1024).toFixed(1).padStart(5)} KB  ${share}%`);
  }
  if (rows.length > top) {
    const rest = rows.slice(top).reduce((n, r) => n + r.bytes, 0);
    console.log(`  ${`(${rows.length - top} more modules)`.padEnd(width)}  ${(rest / 1024).toFixed(1).padStart(5)} KB`);
  }
}

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
  if (analyzeTop > 0) analyze(result.metafile, analyzeTop);
}
