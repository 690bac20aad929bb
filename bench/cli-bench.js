// Benchmark: what `runbook-alarms --help` and `--version` cost over starting a bare node
// (`node -e 0`), the floor no CLI can go under. Runs the three interleaved, many times each (the
// machine is shared: interleaving gives each the same conditions), and reports medians.
//   npm run bench:cli                 (RUNS=40 by default)
const { spawnSync } = require('child_process');
const os = require('os');
const path = require('path');

// CLI=<path> measures another build of the binary (e.g. an older checkout's) the same way.
const CLI = process.env.CLI ? path.resolve(process.env.CLI) : path.join(__dirname, '..', 'dist', 'bin', 'runbook-alarms.js');
const RUNS = Number(process.env.RUNS ?? 40);
const GOAL_MS = 20;

const CASES = [
  { name: 'node -e 0', args: ['-e', '0'], expect: /^$/ },
  { name: 'runbook-alarms --help', args: [CLI, '--help'], expect: /^Usage: runbook-alarms <command>/ },
  { name: 'runbook-alarms --version', args: [CLI, '--version'], expect: /^\d+\.\d+\.\d+\n$/ },
];

function run(c) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 || !c.expect.test(r.stdout)) throw new Error(`${c.name} failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const times = CASES.map(() => []);
  for (const c of CASES) run(c); // warm the file cache
  for (let i = 0; i < RUNS; i++) CASES.forEach((c, j) => times[j].push(run(c)));
  const base = median(times[0]);
  console.log(`${RUNS} runs each, interleaved; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
  let met = true;
  CASES.forEach((c, j) => {
    const m = median(times[j]);
    const over = m - base;
    if (j > 0 && over > GOAL_MS) met = false;
    console.log(`${c.name.padEnd(26)} median ${m.toFixed(1).padStart(6)} ms${j > 0 ? `   over bare node: ${over.toFixed(1)} ms` : ''}`);
  });
  console.log(`goal (each <= ${GOAL_MS} ms over bare node): ${met ? 'met' : 'MISSED'}`);
  process.exitCode = met ? 0 : 1;
}

main();
