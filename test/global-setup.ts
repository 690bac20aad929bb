// Runs once before every suite: makes sure dist/ is built from the current sources (suites read it,
// none writes it), then synthesizes the example app once with the real `cdk` CLI, so the suites
// that look at it share one cloud assembly instead of synthesizing it again each.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import './setup-env'; // pins "today" for the synth below too
import { EXAMPLE_SYNTH_ENV, ExampleSynth, cdkEnvironment } from './support/synth';

const ROOT = path.join(__dirname, '..');

function newestSource(dir: string): number {
  return Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0;
  }));
}

/** Builds when a source is newer than the build (`npm test` has just built: then this is a no-op). */
function ensureBuilt(): void {
  const marks = ['lib/index.js', 'bin/runbook-alarms.js'].map((f) => path.join(ROOT, 'dist', f)).concat(['notifier-webhook', 'notifier-app', 'interactivity', 'escalation'].map((b) => path.join(ROOT, 'dist', 'functions', b, 'index.js')));
  const built = Math.min(...marks.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  if (built >= Math.max(newestSource(path.join(ROOT, 'lib')), newestSource(path.join(ROOT, 'bin')))) return;
  // Fails the run on a type error, rather than letting suites read a half-built dist/.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export default function globalSetup(): void {
  ensureBuilt();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-synth-'));
  const started = Date.now();
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--output', outdir], {
    cwd: ROOT,
    env: cdkEnvironment(),
    encoding: 'utf8',
  });
  const result: ExampleSynth = { outdir, code: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, ms: Date.now() - started };
  fs.writeFileSync(path.join(outdir, 'synth-result.json'), JSON.stringify(result));
  process.env[EXAMPLE_SYNTH_ENV] = outdir;
}
