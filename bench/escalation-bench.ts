// Benchmarks of acknowledgement and escalation (run by `npm run bench:slack`, after the app mode's):
//  1. cold init of the interactivity and escalation bundles: require + create the handler with the
//     environment the construct synthesizes, in a fresh node process (median of --init-runs, 21);
//  2. the time to answer an Acknowledge click (Slack waits 3 s) in a COLD container: each run is a
//     fresh node process with the built interactivity bundle, so it loads the SDK clients (DynamoDB,
//     Secrets Manager, Scheduler), reads the signing secret and the bot token from a Secrets Manager
//     stand-in, verifies the signature, records the acknowledgement in dynalite, deletes the timer in
//     the Scheduler stand-in and updates the parent and the thread in the Slack stand-in, then
//     answers. Each run acknowledges its own incident, opened by the built notifier (and its timer
//     set by the built escalation function). Goal: ≤ 3000 ms, every run (the function aims at 2500);
//  3. the same in a WARM container: 50 clicks in one process, one incident each.
// Flags: --init-runs <n> (default 21), --acks <n> cold runs (default 11), --baseline <dir> (another
// build's dist/functions: each cold init interleaved, run by run, with the same function's of that build).
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, numberFlag } from './args';
import { bundle, startOnCallWorld } from './on-call-world';
import { blockActions, signedRequest } from '../test/support/escalation-setup';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => numberFlag(args, name, dflt);
const baselineDir = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const results: Record<string, unknown> = {};

async function main(): Promise<void> {
  const world = await startOnCallWorld();
  const { aws, envs, open } = world;

  // 1. Cold init.
  const initRuns = flag('--init-runs', 21);
  for (const [name, factory, env] of [['interactivity', 'createInteractivityHandler', envs.interactivity], ['escalation', 'createEscalationHandler', envs.escalation]] as const) {
    const probe = (file: string) => `const t=process.hrtime.bigint();const m=require(${JSON.stringify(file)});m.${factory}({env:${JSON.stringify(env)}});` +
      'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
    const initOnce = (file: string) => Number(execFileSync(process.execPath, ['-e', probe(file)], { encoding: 'utf8' }));
    const inits: number[] = [];
    const baselineInits: number[] = [];
    for (let i = 0; i < initRuns; i++) {
      inits.push(initOnce(bundle(name)));
      if (baselineDir) baselineInits.push(initOnce(path.join(baselineDir, name, 'index.js')));
    }
    results[`${name} coldInit`] = { medianMs: +median(inits).toFixed(2), maxMs: +Math.max(...inits).toFixed(2), runs: initRuns };
    console.log(`${name} cold init: median ${median(inits).toFixed(2)} ms (max ${Math.max(...inits).toFixed(2)} ms) over ${initRuns} fresh processes`);
    if (baselineDir) {
      results[`${name} baselineColdInit`] = { medianMs: +median(baselineInits).toFixed(2), maxMs: +Math.max(...baselineInits).toFixed(2), runs: initRuns };
      console.log(`${name} cold init of the baseline (interleaved): median ${median(baselineInits).toFixed(2)} ms (max ${Math.max(...baselineInits).toFixed(2)} ms)`);
    }
  }

  // 2. Cold containers.
  const runs = flag('--acks', 11);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ack-bench-'));
  fs.copyFileSync(bundle('interactivity'), path.join(dir, 'index.js'));
  const cold: number[] = [];
  const coldTotal: number[] = [];
  for (let r = 0; r < runs; r++) {
    const parent = await open();
    const event = signedRequest(blockActions(parent, 'U0ALICE'), Math.floor(Date.now() / 1000));
    fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event));
    const script = `const t0=process.hrtime.bigint();const { handler } = require('./index.js');console.log=()=>{};
      const e=require('./event.json');const t1=process.hrtime.bigint();
      handler(e,{getRemainingTimeInMillis:()=>10000,awsRequestId:'r'}).then((out)=>process.stdout.write(JSON.stringify({status:out.statusCode,answerMs:Number(process.hrtime.bigint()-t1)/1e6,totalMs:Number(process.hrtime.bigint()-t0)/1e6})));`;
    fs.writeFileSync(path.join(dir, 'probe.js'), script);
    // Asynchronously: the stand-ins it talks to run in this process.
    const stdout = await new Promise<string>((resolve, reject) => execFile(process.execPath, ['probe.js'],
      { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...envs.interactivity } },
      (err, out) => (err ? reject(err) : resolve(out))));
    const out = JSON.parse(stdout);
    if (out.status !== 200) throw new Error(`acknowledgement answered ${out.status}`);
    if (aws.schedules.size !== 0) throw new Error('the timer was not deleted');
    cold.push(out.answerMs);
    coldTotal.push(out.totalMs);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  results.ackCold = { runs, medianMs: +median(cold).toFixed(1), maxMs: +Math.max(...cold).toFixed(1), withModuleInitMedianMs: +median(coldTotal).toFixed(1), goalMs: 3000 };
  console.log(`acknowledge, cold container: answered in median ${median(cold).toFixed(0)} ms, max ${Math.max(...cold).toFixed(0)} ms over ${runs} fresh processes ` +
    `(with module init: median ${median(coldTotal).toFixed(0)} ms); goal ≤ 3000 ms`);

  // 3. A warm container.
  const interactivity = require(bundle('interactivity')).createInteractivityHandler({ env: { ...envs.interactivity }, log: () => undefined });
  const warm: number[] = [];
  for (let r = 0; r < 50; r++) {
    const parent = await open();
    const event = signedRequest(blockActions(parent, 'U0ALICE'), Math.floor(Date.now() / 1000));
    const t = process.hrtime.bigint();
    const out = await interactivity(event, { getRemainingTimeInMillis: () => 10_000 });
    warm.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (out.statusCode !== 200) throw new Error(`acknowledgement answered ${out.statusCode}`);
  }
  results.ackWarm = { runs: 50, medianMs: +median(warm.slice(1)).toFixed(1), maxMs: +Math.max(...warm).toFixed(1) };
  console.log(`acknowledge, warm container: median ${median(warm.slice(1)).toFixed(1)} ms, max ${Math.max(...warm).toFixed(1)} ms over 50 (the first reads the secrets)`);
  await world.close();
  console.log(JSON.stringify(results));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
