// The CLI loads only what a command needs: `--help` and `--version` load no command, and no
// parser; `new` and `preview` never load the runbook parser or YAML; `lint` loads the cloud
// assembly reader only with --assembly; `budget` loads the AWS SDK only when it runs. (What that
// costs in time is bench/cli-bench.js's job.)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { alarmMessage, snsEvent } from '../support/slack';
import { CLI, FIXTURES, NOW, REPO, tempDir } from './helpers';

const HOOK = path.join(FIXTURES, 'report-loaded-modules.js');

/** The modules (repo-relative, `node_modules/<package>` for dependencies) a CLI run loads. */
function loaded(args: string[], cwd = REPO, env: Record<string, string> = {}): string[] {
  const dir = tempDir('loaded');
  try {
    const out = path.join(dir, 'modules.json');
    const r = spawnSync(process.execPath, ['-r', HOOK, CLI, ...args], {
      cwd, encoding: 'utf8', env: { ...process.env, LOADED_MODULES_FILE: out, RUNBOOK_ALARMS_NOW: NOW, ...env },
    });
    expect(r.error).toBeUndefined();
    const files = JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
    return [...new Set(files.filter((f) => f !== HOOK).map((f) => {
      const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
      return dep ? `node_modules/${dep[1]}` : path.relative(REPO, f).split(path.sep).join('/');
    }))].sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('--help and --version load the command table only: no command module, no dependency', () => {
  for (const args of [['--help'], ['--version'], []]) {
    const modules = loaded(args);
    expect(modules.filter((m) => m.startsWith('node_modules/'))).toEqual([]);
    expect(modules.filter((m) => /lib\/(runbook\/(parser|lint|markdown)|notification|alarm-rules|assembly|slo)|lib\/cli\/(lint|new|preview|budget)\.js/.test(m))).toEqual([]);
  }
});

test('new and preview load neither the runbook parser, markdown-it nor YAML', () => {
  const dir = tempDir('new');
  try {
    const event = path.join(dir, 'event.json');
    fs.writeFileSync(event, JSON.stringify(snsEvent(alarmMessage())));
    for (const args of [['new', 'x', '--severity', 'SEV3', '--owner', 'ops', '--dir', dir], ['preview', event]]) {
      const modules = loaded(args);
      expect(modules).toContain(`dist/lib/cli/${args[0]}.js`); // it did run
      expect(modules).not.toContain('node_modules/markdown-it');
      expect(modules).not.toContain('node_modules/yaml');
      expect(modules.filter((m) => /^dist\/lib\/runbook\/(parser|lint|markdown|front-matter)\.js$/.test(m))).toEqual([]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lint loads markdown-it; YAML only for front matter the fast path cannot read; the assembly reader only with --assembly', () => {
  const plain = loaded(['lint', path.join(FIXTURES, 'rules', 'owner.pass.md')]);
  expect(plain).toContain('node_modules/markdown-it');
  expect(plain).not.toContain('node_modules/yaml');
  expect(plain.filter((m) => m.startsWith('dist/lib/assembly/'))).toEqual([]);
  expect(plain).not.toContain('dist/lib/cli/cross-check.js');
  expect(loaded(['lint', path.join(FIXTURES, 'rules', 'front-matter.pass.md')])).toContain('node_modules/yaml'); // a quoted title
});

test('budget --help loads no SDK; budget loads the assembly reader and the CloudWatch SDK, never the runbook parser, markdown-it or YAML', () => {
  const help = loaded(['budget', '--help']);
  expect(help.filter((m) => m.startsWith('node_modules/'))).toEqual([]);
  const dir = tempDir('budget');
  try {
    // A stack with one SLO record; CloudWatch unreachable (the run fails after loading what it needs).
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: 'S.template.json' }, metadata: { '/S/Slo': [{ type: 'cdk-runbook-alarms:slo', data: { version: 1, name: 'S/Slo', targetPercent: 99.9, periodDays: 30, form: 'bad/valid',
        indicatorAlarmName: 'S/Slo/FastBurn/1h', tiers: [] } }] } } } }));
    fs.writeFileSync(path.join(dir, 'S.template.json'), '{"Resources":{}}');
    const modules = loaded(['budget', '--assembly', dir], REPO, { AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:9', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' });
    expect(modules).toContain('dist/lib/cli/budget.js');
    expect(modules).toContain('node_modules/@aws-sdk/client-cloudwatch');
    expect(modules).toContain('dist/lib/assembly/reader.js');
    for (const m of ['node_modules/markdown-it', 'node_modules/yaml']) expect(modules).not.toContain(m);
    expect(modules.filter((m) => /^dist\/lib\/runbook\/(parser|lint|markdown|front-matter)\.js$/.test(m))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
