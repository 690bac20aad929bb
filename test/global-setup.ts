// Runs once before the integration tier: makes sure dist/ is built from the current sources
// (suites read it, none writes it), and makes the directory the example app's cloud assembly is
// synthesized into, once, by the first suite that asks (support/synth.ts), so the suites that look
// at it share one assembly instead of synthesizing it again each.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import './setup-env'; // pins "today" for the synth too (its subprocess inherits the environment)
import { EXAMPLE_SYNTH_ENV } from './support/synth';

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
  process.env[EXAMPLE_SYNTH_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'example-synth-'));
}
