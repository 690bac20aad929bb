// The CLI loads only what a command needs: `--help` and `--version` load no command, and no
// parser; `new` and `preview` never load the runbook parser or YAML; `lint` loads the cloud
// assembly reader only with --assembly. (What that costs in time is bench/cli-bench.js's job.)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { alarmMessage, snsEvent } from '../support/slack';
import { CLI, FIXTURES, NOW, REPO, tempDir } from './helpers';

const HOOK = path.join(FIXTURES, 'report-loaded-modules.js');

/** The modules (repo-relative, `node_modules/<package>` for dependencies) a CLI run loads. */
function loaded(args: string[], cwd = REPO): string[] {
  const dir = tempDir('loaded');
  try {
    const out = path.join(dir, 'modules.json');
    const r = spawnSync(process.execPath, ['-r', HOOK, CLI, ...args], {
      cwd, encoding: 'utf8', env: { ...process.env, LOADED_MODULES_FILE: out, RUNBOOK_ALARMS_NOW: NOW },
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
    expect(modules.filter((m) => /lib\/(runbook\/(parser|lint|markdown)|notification|alarm-rules|assembly)|lib\/cli\/(lint|new|preview)\.js/.test(m))).toEqual([]);
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
