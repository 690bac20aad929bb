// The package as users get it: declared in package.json, shipped in the tarball, installing without
// a script or a warning, and working when the packed package is installed into another project
// (no aws-cdk-lib needed to lint). Hermetic: the install uses an empty npm cache and no registry.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, newestRepoRunbookDate, tempDir } from './helpers';
import { npm, packWithRuntimeDependencies } from './pack';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

test('package.json declares the runbook-alarms binary and the tarball ships it, the license and the notifier runbook', () => {
  expect(pkg.bin).toEqual({ 'runbook-alarms': 'dist/bin/runbook-alarms.js' });
  const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO).stdout);
  const files = packed.files.map((f: { path: string }) => f.path);
  expect(files).toContain('dist/bin/runbook-alarms.js');
  // Every module of lib/ ships compiled (listed from the sources, not by hand: a fresh clone has no stale dist/).
  const sources = (dir: string): string[] => fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : []));
  const compiled = sources('lib').map((f) => `dist/${f.split(path.sep).join('/').replace(/\.ts$/, '.js')}`);
  expect(compiled).toEqual(expect.arrayContaining(['dist/lib/cli/main.js', 'dist/lib/index.js']));
  expect(files).toEqual(expect.arrayContaining([...compiled, 'dist/functions/notifier-webhook/index.js', 'dist/functions/notifier-app/index.js', 'dist/functions/interactivity/index.js', 'dist/functions/escalation/index.js']));
  expect(files).toEqual(expect.arrayContaining(['LICENSE', 'runbooks/slack-notifier-failures.md']));
  expect(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
  expect(pkg.license).toBe('Apache-2.0');
  expect(fs.readFileSync(path.join(REPO, 'dist', 'bin', 'runbook-alarms.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
});

test('the published package runs no script when installed: it is built before packing (prepack), not on install', () => {
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[script]).toBeUndefined();
  // A clean build, so a file whose source was deleted never ships.
  expect(pkg.scripts.prepack).toMatch(/^node -e "fs\.rmSync\('dist', \{ recursive: true, force: true \}\)" && npm run build$/);
  // The example app needs the handler bundle right after `npm ci`: cdk.json builds it before synth.
  expect(JSON.parse(fs.readFileSync(path.join(REPO, 'cdk.json'), 'utf8')).build).toBe('node scripts/bundle-handler.mjs --if-stale');
});

test('runtime and development Node.js versions are stated apart: engines for users, devEngines for this repository', () => {
  expect(pkg.engines).toEqual({ node: '>=20' });
  expect(pkg.devEngines.runtime).toMatchObject({ name: 'node', onFail: 'error' });
  // cdk-monitoring-constructs is for those who use it: an optional peer, never installed for others.
  expect(pkg.peerDependenciesMeta['cdk-monitoring-constructs']).toEqual({ optional: true });
  // The AWS SDK reads the incident table for `postmortem new` only: an optional peer, loaded by that command alone.
  expect(pkg.peerDependenciesMeta['@aws-sdk/client-dynamodb']).toEqual({ optional: true });
  expect(Object.keys(pkg.dependencies).sort()).toEqual(['markdown-it', 'yaml']);
});

test('installed from the packed tarball into another project, with an empty npm cache and no registry, `runbook-alarms` runs there', () => {
  const dir = tempDir('install');
  try {
    // The runtime dependencies (and theirs) are packed from node_modules as well: the install needs no registry metadata.
    const tarballs = packWithRuntimeDependencies(dir);
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // Peers are left out on purpose: linting must not need aws-cdk-lib.
    const install = npm(['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', ...tarballs], project,
      { npm_config_cache: path.join(dir, 'empty-cache') });
    expect(install.stderr).not.toMatch(/warn/i); // no install script to approve, no engine warning
    expect(fs.existsSync(path.join(project, 'node_modules', 'cdk-runbook-alarms', 'LICENSE'))).toBe(true);
    for (const f of fs.readdirSync(path.join(REPO, 'runbooks'))) fs.copyFileSync(path.join(REPO, 'runbooks', f), path.join(project, 'runbooks', f));
    const bin = path.join(project, 'node_modules', '.bin', 'runbook-alarms');
    const run = (args: string[]) => spawnSync(bin, args, { cwd: project, encoding: 'utf8', env: { ...process.env, RUNBOOK_ALARMS_NOW: newestRepoRunbookDate() } });
    const ok = run(['lint']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^no problems in \d+ runbooks\n$/);
    expect(ok.status).toBe(0);
    fs.appendFileSync(path.join(project, 'runbooks', fs.readdirSync(path.join(project, 'runbooks'))[0]), '\nTODO: finish\n');
    expect(run(['lint']).status).toBe(1);
    expect(run(['new', 'x', '--severity', 'SEV3', '--owner', 'ops']).status).toBe(0);
    expect(fs.existsSync(path.join(project, 'runbooks', 'x.md'))).toBe(true);
    // What the package ships beside the code works from the install: the notifier's runbook, the samples.
    fs.rmSync(path.join(project, 'runbooks'), { recursive: true });
    expect(run(['new', '--from', 'slack-notifier-failures', '--owner', 'ops']).status).toBe(0);
    expect(run(['lint'])).toMatchObject({ status: 0, stdout: 'no problems in 1 runbook\n' });
    const preview = run(['preview', '--example']);
    expect(preview.status).toBe(0);
    expect(preview.stdout).toContain('# 🔴 SEV2 · ALARM · Payments/WebhookBacklog');
    // `budget` needs the AWS SDK, an optional peer: without it, it says how to get it.
    const out = path.join(project, 'cdk.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' },
      metadata: { '/S/Slo': [{ type: 'cdk-runbook-alarms:slo', data: { version: 1, name: 'S/Slo', targetPercent: 99.9, periodDays: 30, form: 'bad/valid', indicatorAlarmName: 'S/Slo/F/1h', tiers: [] } }] } } } }));
    fs.writeFileSync(path.join(out, 'S.template.json'), '{"Resources":{}}');
    const budget = run(['budget']);
    expect(budget.stderr).toBe('runbook-alarms budget: `budget` reads CloudWatch with the AWS SDK, which is not installed: npm install --save-dev @aws-sdk/client-cloudwatch\n');
    expect(budget.status).toBe(2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
