#!/usr/bin/env node
// Benchmark of the synth gate: what RunbookPolicy and IncidentReadinessChecks add to an in-process
// synth of a large app, against no checks and cdk-nag's AwsSolutionsChecks.
//
//   npm run bench:gate                       (builds, then 5 interleaved rounds)
//   node bench/gate-bench.js --rounds 7      (dist/ must be built)
//   node bench/gate-bench.js --with-cfn-validation   (keep aws-cdk-lib's built-in template validation on)
//   node bench/gate-bench.js --scaling       (both checks at 1,000, 5,000 and 10,000 alarms: their own time)
//
// By default the children run with CDK_VALIDATION=false: aws-cdk-lib's built-in CloudFormation
// template validation costs the same in every variant and, at ~10 s here, would drown the
// difference being measured (and make the percentages look smaller than they are).
//
// Each measurement is one fresh child process (so peak memory, process.resourceUsage().maxRSS,
// belongs to that variant alone); rounds are interleaved, the variant order rotating each round,
// and the table shows the median of the rounds. The app: 5,000 alarms over 11 stacks (at most
// 500 resources per stack), a third SEV2 pages with file runbooks and AlertRouting, a third SEV3
// with URL runbooks, a third SEV4. Like the `cdk` CLI, the app sets
// `@aws-cdk/core:failSynthOnValidationErrors: false`, so reports are written, not thrown.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const VARIANTS = ['none', 'policy', 'pack', 'both', 'awssolutions'];
const LABELS = {
  none: 'no checks',
  policy: 'RunbookPolicy',
  pack: 'IncidentReadinessChecks',
  both: 'RunbookPolicy + IncidentReadinessChecks',
  awssolutions: 'AwsSolutionsChecks (cdk-nag)',
};
const ALARMS = 5000;
/** Alarms per stack: 5,000 alarms make 11 stacks, as in the issue; the CloudFormation limit is 500 resources. */
const PER_STACK = 455;

function child(variant, ALARMS) {
  const STACKS = Math.ceil(ALARMS / PER_STACK);
  const { App, Duration, Stack, Validations } = require('aws-cdk-lib');
  const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
  const { AwsSolutionsChecks, NagPack } = require('cdk-nag');
  const lib = require(path.join(ROOT, 'dist', 'lib'));

  // Time spent inside the checks themselves, measured in the same run as the synth it belongs to:
  // a load-independent view of their cost (both numbers slow down together on a busy machine).
  // Its CPU time too: on a machine other work keeps busy, wall time inside the checks stretches
  // with every pause, CPU time much less.
  let inChecks = 0n;
  let inChecksCpu = 0;
  const timed = (target, name) => {
    const original = target[name];
    target[name] = function (...args) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      try {
        return original.apply(this, args);
      } finally {
        inChecks += process.hrtime.bigint() - t;
        const d = process.cpuUsage(c);
        inChecksCpu += (d.user + d.system) / 1000;
      }
    };
  };
  timed(lib.RunbookPolicy.prototype, 'visit');
  // Every validation plugin (the gate's engine, cdk-nag packs) is timed where it is registered.
  const addPlugins = Validations.prototype.addPlugins;
  Validations.prototype.addPlugins = function (...plugins) {
    for (const plugin of plugins) timed(plugin, 'validate');
    return addPlugins.apply(this, plugins);
  };
  void NagPack;

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-bench-'));
  const t0 = process.hrtime.bigint();
  const app = new App({
    outdir,
    context: {
      'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/payments/blob/main',
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  if (variant === 'policy' || variant === 'both') lib.RunbookPolicy.applyTo(app, { projectRoot: ROOT });
  if (variant === 'pack' || variant === 'both') Validations.of(app).addPlugins(new lib.IncidentReadinessChecks(app, { projectRoot: ROOT }));
  if (variant === 'awssolutions') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const runbooks = ['runbooks/payment-webhook-backlog.md', 'runbooks/db-connection-exhaustion.md', 'runbooks/payment-webhook-dlq.md']
    .map((f) => lib.Runbook.fromFile(f, { projectRoot: ROOT }));
  let made = 0;
  for (let s = 0; s < STACKS; s++) {
    const stack = new Stack(app, `Service${s}`);
    const routing = new lib.AlertRouting(stack, 'Routing');
    const count = Math.floor(ALARMS / STACKS) + (s < ALARMS % STACKS ? 1 : 0);
    for (let i = 0; i < count; i++, made++) {
      const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: `Errors${made}`, period: Duration.minutes(1), statistic: 'Sum' });
      const kind = made % 3;
      new lib.RunbookAlarm(stack, `Alarm${i}`, {
        metric,
        threshold: 10,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        severity: kind === 0 ? lib.Severity.SEV2 : kind === 1 ? lib.Severity.SEV3 : lib.Severity.SEV4,
        runbook: kind === 0 ? runbooks[made % runbooks.length] : kind === 1 ? lib.Runbook.fromUrl('https://wiki.acme.io/runbooks/errors', { owner: 'platform' }) : undefined,
        owner: kind === 2 ? 'platform' : undefined,
        summary: `Errors on endpoint ${made}`,
        routing,
      });
    }
  }
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage();
  app.synth();
  const cpu = process.cpuUsage(c1);
  const t2 = process.hrtime.bigint();
  const resources = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')).Resources).length);
  fs.rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({
    variant,
    alarms: ALARMS,
    buildMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t2 - t1) / 1e6,
    synthCpuMs: (cpu.user + cpu.system) / 1000,
    checksMs: Number(inChecks) / 1e6,
    checksCpuMs: inChecksCpu,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    stacks: resources.length,
    maxResourcesPerStack: Math.max(...resources),
  }) + '\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runChild(variant, alarms, withCfnValidation) {
  const env = { ...process.env };
  if (!withCfnValidation) env.CDK_VALIDATION = 'false';
  const res = spawnSync(process.execPath, [path.join(__dirname, 'gate-bench.js'), '--child', variant, String(alarms)], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = (res.stdout || '').trim().split('\n').pop();
  if (res.status !== 0 || !line || !line.startsWith('{')) {
    console.error(`variant ${variant} failed (exit ${res.status}):\n${res.stderr}`);
    process.exit(1);
  }
  return JSON.parse(line);
}

/** The checks' own time at growing sizes (both front doors, validation off): linear or better. */
function scaling(rounds) {
  console.log(`checks' own time (RunbookPolicy + IncidentReadinessChecks), median of ${rounds} runs, node ${process.version}, built-in validation off\n`);
  console.log('| alarms | stacks | checks ms | per 1,000 alarms | rest of app.synth() ms | checks % of the rest | checks CPU ms | checks % of the rest, CPU |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const alarms of [1000, 5000, 10000]) {
    const runs = Array.from({ length: rounds }, () => runChild('both', alarms, false));
    const checks = median(runs.map((m) => m.checksMs));
    const rest = median(runs.map((m) => m.synthMs - m.checksMs));
    console.error(`${alarms} alarms: checks ${checks.toFixed(0)} ms, rest ${rest.toFixed(0)} ms`);
    console.log(`| ${alarms} | ${runs[0].stacks} | ${checks.toFixed(0)} | ${(checks / (alarms / 1000)).toFixed(1)} | ${rest.toFixed(0)} | ${median(runs.map((m) => (m.checksMs / (m.synthMs - m.checksMs)) * 100)).toFixed(1)}% | ` +
      `${median(runs.map((m) => m.checksCpuMs)).toFixed(0)} | ${median(runs.map((m) => (m.checksCpuMs / (m.synthCpuMs - m.checksCpuMs)) * 100)).toFixed(1)}% |`);
  }
}

function parent(rounds, withCfnValidation) {
  const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no variant always runs first (cold caches) or last.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
    for (const variant of order) {
      const m = runChild(variant, ALARMS, withCfnValidation);
      runs[variant].push(m);
      console.error(`round ${r + 1}/${rounds} ${variant.padEnd(12)} synth ${m.synthMs.toFixed(0)} ms (CPU ${m.synthCpuMs.toFixed(0)} ms), peak RSS ${m.maxRssMb.toFixed(0)} MB (${m.stacks} stacks, max ${m.maxResourcesPerStack} resources/stack)`);
    }
  }
  const med = (v, key) => median(runs[v].map((m) => m[key]));
  const vs = (v, key) => {
    if (v === 'none') return '—';
    const d = ((med(v, key) - med('none', key)) / med('none', key)) * 100;
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
  };
  const rows = VARIANTS.map((v) =>
    `| ${LABELS[v]} | ${med(v, 'synthMs').toFixed(0)} | ${vs(v, 'synthMs')} | ${med(v, 'synthCpuMs').toFixed(0)} | ${vs(v, 'synthCpuMs')} | ` +
    `${v === 'none' ? '—' : `${med(v, 'checksMs').toFixed(0)} (${median(runs[v].map((m) => (m.checksMs / (m.synthMs - m.checksMs)) * 100)).toFixed(1)}%)`} | ` +
    `${v === 'none' ? '—' : `${med(v, 'checksCpuMs').toFixed(0)} (${median(runs[v].map((m) => (m.checksCpuMs / (m.synthCpuMs - m.checksCpuMs)) * 100)).toFixed(1)}%)`} | ` +
    `${med(v, 'maxRssMb').toFixed(0)} | ${vs(v, 'maxRssMb')} |`);
  const { stacks, maxResourcesPerStack } = runs.none[0];
  console.log(`${ALARMS} alarms, ${stacks} stacks (max ${maxResourcesPerStack} resources per stack), median of ${rounds} interleaved rounds, ` +
    `node ${process.version}, ${os.cpus().length} CPUs, built-in CloudFormation validation ${withCfnValidation ? 'on' : 'off (CDK_VALIDATION=false)'}`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}\n`);
  console.log('| checks | app.synth() wall ms | vs none | app.synth() CPU ms | vs none | time inside the checks, ms (% of the rest of that synth) | CPU inside the checks, ms (% of the rest of that synth\'s CPU) | peak RSS MB | vs none |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  child(args[1], Number(args[2] ?? ALARMS));
} else {
  const i = args.indexOf('--rounds');
  const rounds = i >= 0 ? Math.max(1, Number(args[i + 1])) : 5;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'lib', 'index.js'))) {
    console.error('dist/lib is missing: run `npm run build` first (or `npm run bench:gate`).');
    process.exit(1);
  }
  if (args.includes('--scaling')) scaling(rounds);
  else parent(rounds, args.includes('--with-cfn-validation'));
}
