// The README's consumer app works when pasted into an empty folder. Its files are taken from the
// README itself (the blocks marked `file=<path>`), so the two cannot drift; they are written into an
// empty directory, the packed package is installed there offline (empty npm cache, no registry),
// the README's steps run, and the project's own `cdk synth` runs in a subprocess and must exit 0.
//
// The peers and tools (aws-cdk-lib, constructs, cdk-nag, aws-cdk, typescript, ts-node, @types/node)
// are linked from this repository's node_modules instead of packed: packing aws-cdk-lib alone takes
// ~18 s and 38 MB (161 MB installed). Each is checked against the range the README pins.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CodeBlock, codeBlocks, flagValue } from '../support/doc-blocks';
import { cdkEnvironment } from '../support/synth';
import { REPO, tempDir } from './helpers';
import { npm, packWithRuntimeDependencies } from './pack';

const README = path.join(REPO, 'README.md');
const blocks = codeBlocks(README);

/** True when `version` satisfies `~x.y.z` or `^x.y.z`, the only range forms the README uses. */
function satisfies(version: string, range: string): boolean {
  const m = /^([~^])(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) throw new Error(`README package.json: "${range}" is not a ~x.y.z or ^x.y.z range`);
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  const [want, wantMinor, wantPatch] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (major !== want) return false;
  if (m[1] === '~' || want === 0) return minor === wantMinor && patch >= wantPatch;
  return minor > wantMinor || (minor === wantMinor && patch >= wantPatch);
}

/** Links an installed package of this repository into `project`'s node_modules, with its binaries. */
function linkInstalled(name: string, project: string): void {
  const source = path.join(REPO, 'node_modules', name);
  const target = path.join(project, 'node_modules', name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(source, target, 'dir');
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const bins: Record<string, string> = typeof manifest.bin === 'string' ? { [name.split('/').pop()!]: manifest.bin } : manifest.bin ?? {};
  const binDir = path.join(project, 'node_modules', '.bin');
  fs.mkdirSync(binDir, { recursive: true });
  for (const [bin, file] of Object.entries(bins)) fs.symlinkSync(path.join(source, file), path.join(binDir, bin));
}

/** The README's command lines of the consumer app (the ```bash steps block), comments removed. */
function steps(): string[][] {
  const block = blocks.find((b) => b.lang === 'bash' && b.flags.includes('steps'));
  if (!block) throw new Error('README.md has no ```bash steps block');
  return block.content.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== '').map((l) => l.split(/\s+/));
}

test('the README pastes into a complete app: package.json, tsconfig.json, cdk.json, bin/app.ts and a runbook', () => {
  const files = blocks.filter((b) => flagValue(b, 'file') !== undefined).map((b) => flagValue(b, 'file'));
  expect(files).toEqual(['package.json', 'tsconfig.json', 'cdk.json', 'bin/app.ts', 'runbooks/payment-webhook-backlog.md']);
  expect(steps().map((s) => s.join(' '))).toEqual(expect.arrayContaining(['npm install', 'npx cdk synth']));
  // The versions the README pins are the ones this repository is built and tested with.
  const manifest = JSON.parse(blocks.find((b) => flagValue(b, 'file') === 'package.json')!.content);
  const ours = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  for (const [name, range] of Object.entries<string>({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const version = name === ours.name ? ours.version : JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect(`${name}@${version} ${satisfies(version, range) ? 'satisfies' : 'does not satisfy'} ${range}`).toBe(`${name}@${version} satisfies ${range}`);
  }
  expect(manifest.devDependencies.typescript).toMatch(/^~5\./); // ts-node cannot run TypeScript 7
});

test('the README app, written into an empty folder with the packed package, synthesizes with `cdk synth`', () => {
  const dir = tempDir('readme-app');
  try {
    const project = path.join(dir, 'project');
    const file = (b: CodeBlock) => flagValue(b, 'file')!;
    for (const b of blocks.filter((x) => flagValue(x, 'file') !== undefined)) {
      fs.mkdirSync(path.dirname(path.join(project, file(b))), { recursive: true });
      fs.writeFileSync(path.join(project, file(b)), b.content);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));

    // `npm install`: the package and its runtime dependencies from tarballs, offline, in a staging
    // project (the README's package.json also names the peers, which come from this repository).
    const staging = path.join(dir, 'staging');
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'staging', version: '1.0.0', private: true }));
    npm(['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', ...packWithRuntimeDependencies(dir)], staging,
      { npm_config_cache: path.join(dir, 'empty-cache') });
    fs.renameSync(path.join(staging, 'node_modules'), path.join(project, 'node_modules'));
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (name !== 'cdk-runbook-alarms') linkInstalled(name, project);
    }

    // "Today" is the day the README's runbook was reviewed, so its freshness holds whenever this runs.
    const runbook = fs.readFileSync(path.join(project, 'runbooks', 'payment-webhook-backlog.md'), 'utf8');
    const env = { ...cdkEnvironment(), RUNBOOK_ALARMS_NOW: /^last_updated: (\S+)$/m.exec(runbook)![1] };
    for (const [tool, bin, ...args] of steps()) {
      if (tool === 'npm') continue; // done above
      expect(tool).toBe('npx');
      const extra = bin === 'cdk' ? ['--no-notices'] : [];
      const r = spawnSync(path.join(project, 'node_modules', '.bin', bin), [...args, ...extra], { cwd: project, env, encoding: 'utf8' });
      expect({ step: [bin, ...args].join(' '), status: r.status, output: r.status === 0 ? '' : `${r.stdout}${r.stderr}` })
        .toEqual({ step: [bin, ...args].join(' '), status: 0, output: '' });
    }

    // What the README says the alarm's description becomes is what was synthesized.
    const assembly = path.join(project, 'cdk.out');
    const stacks = Object.values<any>(JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8')).artifacts)
      .filter((a) => a.type === 'aws:cloudformation:stack');
    const resources = stacks.flatMap((s) => Object.entries<any>(JSON.parse(fs.readFileSync(path.join(assembly, s.properties.templateFile), 'utf8')).Resources));
    const backlog = resources.find(([id]) => id.startsWith('WebhookBacklog'))![1];
    const described = blocks.find((b) => b.lang === 'text' && b.flags.includes('alarm-description'))!.content.trimEnd();
    expect(backlog.Properties.AlarmDescription).toBe(described);
    // The webhook notifier and the routing deployed (the page topic: the only route its alarms use), the notifier's own runbook linked.
    const types = resources.map(([, r]) => r.Type);
    expect(types.filter((t) => t === 'AWS::SNS::Topic')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['AWS::KMS::Key', 'AWS::Lambda::Function', 'AWS::SQS::Queue']));
    expect(resources.filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties.AlarmDescription))
      .toEqual(expect.arrayContaining([expect.stringContaining('/runbooks/slack-notifier-failures.md')]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
