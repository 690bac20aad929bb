// The real `cdk` CLI in tests: the environment it runs in, and the example app's cloud assembly
// that the jest global setup synthesized once for every suite.
import * as fs from 'fs';
import * as path from 'path';

/** Where the global setup put the example app's cloud assembly. */
export const EXAMPLE_SYNTH_ENV = 'RUNBOOK_ALARMS_TEST_EXAMPLE_ASSEMBLY';

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

/** The example app as the global setup synthesized it (throws when run outside jest's setup). */
export function exampleSynth(): ExampleSynth {
  const dir = process.env[EXAMPLE_SYNTH_ENV];
  if (!dir) throw new Error(`${EXAMPLE_SYNTH_ENV} is not set: run the tests with jest (its global setup synthesizes the example app)`);
  return JSON.parse(fs.readFileSync(path.join(dir, 'synth-result.json'), 'utf8')) as ExampleSynth;
}

/** A template of the example app's cloud assembly, as JSON. */
export function exampleTemplate(stack: string): Record<string, any> {
  const synth = exampleSynth();
  if (synth.code !== 0) throw new Error(`the example app did not synthesize (exit ${synth.code}):\n${synth.output}`);
  return JSON.parse(fs.readFileSync(path.join(synth.outdir, `${stack}.template.json`), 'utf8'));
}
