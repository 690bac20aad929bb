// The real `cdk` CLI in tests: the environment it runs in, and the example app's cloud assembly,
// synthesized once per run by the first suite that asks for it (the others, in other workers, wait
// for it), into the directory the integration tier's global setup made.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where the global setup put the example app's cloud assembly. */
export const EXAMPLE_SYNTH_ENV = 'RUNBOOK_ALARMS_TEST_EXAMPLE_ASSEMBLY';
const ROOT = path.join(__dirname, '..', '..');

/** What `cdk synth` of the example app did. */
export interface ExampleSynth {
  /** The cloud assembly directory. */
  readonly outdir: string;
  readonly code: number | null;
  /** stdout and stderr together. */
  readonly output: string;
  readonly ms: number;
}

/** As a user would run `cdk`: no AWS credentials, no version check, no notices, no colour. */
export function cdkEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true', FORCE_COLOR: '0' };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') && k !== 'AWS_EC2_METADATA_DISABLED') delete env[k];
  delete env.NODE_ENV; // jest sets "test", which switches the CDK to in-memory mode
  return env;
}

/** Runs the real `cdk synth` of the example app (in the repository, with its cdk.json) into `outdir`. */
function synthesizeExample(outdir: string): ExampleSynth {
  const started = Date.now();
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices', '--output', outdir], {
    cwd: ROOT,
    env: cdkEnvironment(),
    encoding: 'utf8',
  });
  return { outdir, code: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, ms: Date.now() - started };
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The example app, synthesized once per test run: the first caller synthesizes (holding a lock
 * directory), callers in other workers wait for its result. Throws when run outside jest's
 * integration tier, whose global setup makes the directory.
 */
export function exampleSynth(): ExampleSynth {
  const dir = process.env[EXAMPLE_SYNTH_ENV];
  if (!dir) throw new Error(`${EXAMPLE_SYNTH_ENV} is not set: run the tests with jest (the integration tier's global setup makes its directory)`);
  const result = path.join(dir, 'synth-result.json');
  const lock = path.join(dir, 'synthesizing');
  for (const until = Date.now() + 300_000; Date.now() < until; sleep(200)) {
    if (fs.existsSync(result)) return JSON.parse(fs.readFileSync(result, 'utf8')) as ExampleSynth;
    try {
      fs.mkdirSync(lock);
    } catch {
      continue; // another worker is synthesizing
    }
    const synth = synthesizeExample(path.join(dir, 'cdk.out'));
    fs.writeFileSync(`${result}.tmp`, JSON.stringify(synth));
    fs.renameSync(`${result}.tmp`, result);
    return synth;
  }
  throw new Error(`the example app's synth did not finish within 5 minutes (${dir})`);
}

/** A template of the example app's cloud assembly, as JSON. */
export function exampleTemplate(stack: string): Record<string, any> {
  const synth = exampleSynth();
  if (synth.code !== 0) throw new Error(`the example app did not synthesize (exit ${synth.code}):\n${synth.output}`);
  return JSON.parse(fs.readFileSync(path.join(synth.outdir, `${stack}.template.json`), 'utf8'));
}
