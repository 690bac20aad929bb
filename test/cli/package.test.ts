// The binary as users get it: declared in package.json, shipped in the tarball, and working when
// the packed package is installed into another project (no aws-cdk-lib needed to lint).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, newestRepoRunbookDate, tempDir } from './helpers';

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
};

test('package.json declares the runbook-alarms binary and the tarball ships it', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  expect(pkg.bin).toEqual({ 'runbook-alarms': 'dist/bin/runbook-alarms.js' });
  const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO));
  const files = packed.files.map((f: { path: string }) => f.path);
  expect(files).toContain('dist/bin/runbook-alarms.js');
  expect(files).toEqual(expect.arrayContaining(['dist/lib/cli/main.js', 'dist/lib/cli/lint.js', 'dist/lib/cli/assembly.js']));
  expect(fs.readFileSync(path.join(REPO, 'dist', 'bin', 'runbook-alarms.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
});

test('installed from the packed tarball into another project, `runbook-alarms lint` runs there', () => {
  const dir = tempDir('install');
  try {
    const tarball = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], REPO))[0].filename;
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // Offline from the npm cache (its dependencies, yaml and markdown-it, are there after `npm ci`); peers are
    // left out on purpose: linting must not need aws-cdk-lib.
    npm(['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts', path.join(dir, tarball)], project);
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
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
