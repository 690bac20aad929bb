import { FindingLevel } from '../../lib/core/finding';
import { Severity } from '../../lib/core/severity';
import { RunbookFileCache, runbookExistsRule } from '../../lib/alarm-rules';
import { runbookFileForUrl } from '../../lib/runbook/location';
import { BASE_URL, GATE_FIXTURES, contract, page } from './alarm-builders';

const NOW = new Date('2026-11-23T12:00:00Z');
const ctx = { runbookBaseUrl: BASE_URL, projectRoot: GATE_FIXTURES, runbookLint: { now: NOW } };
const linking = (file: string) => page({ AlarmDescription: contract({ severity: Severity.SEV2, runbookUrl: `${BASE_URL}/${file}`, firstMove: 'x', owner: 'y' }) });

describe('IncidentReadiness-RunbookExists', () => {
  test('compliant: the linked file exists and passes the runbook lint', () => {
    expect(runbookExistsRule.check(linking('runbooks/good.md'), ctx)).toEqual([]);
  });

  test('not applicable: no base URL configured', () => {
    expect(runbookExistsRule.check(linking('runbooks/missing.md'), { projectRoot: GATE_FIXTURES })).toEqual([]);
  });

  test('fails: the file does not exist', () => {
    const [f] = runbookExistsRule.check(linking('runbooks/missing.md'), ctx);
    expect(f).toMatchObject({ ruleId: 'IncidentReadiness-RunbookExists', level: FindingLevel.ERROR });
    expect(f.message).toMatch(/runbooks\/missing\.md does not exist/);
  });

  test('fails, never throws: a URL under the base URL that can name no file (a NUL byte, a segment over 255 bytes, a double slash)', () => {
    for (const file of ['runbooks/a%00.md', `runbooks/${'x'.repeat(300)}.md`]) {
      const [f, ...rest] = runbookExistsRule.check(linking(file), ctx);
      expect(rest).toEqual([]);
      expect(f.message).toMatch(/is under the base URL but cannot name a file of the project \((ERR_INVALID_ARG_VALUE|ERR_INVALID_ARG_TYPE|ENAMETOOLONG)\)/);
    }
    const [f] = runbookExistsRule.check(linking('/runbooks//missing.md'), ctx);
    expect(f.message).toMatch(/runbooks\/missing\.md does not exist/);
  });

  test('fails: a missing runbook this package ships names the command that writes it', () => {
    const [f] = runbookExistsRule.check(linking('runbooks/slack-notifier-failures.md'), ctx);
    expect(f.message).toMatch(/runbooks\/slack-notifier-failures\.md does not exist/);
    expect(f.fix).toBe('run `npx runbook-alarms new --from slack-notifier-failures` (this package ships that runbook) and commit it');
    const [other] = runbookExistsRule.check(linking('docs/slack-notifier-failures.md'), ctx);
    expect(other.fix).toMatch(/new --from slack-notifier-failures --dir docs/);
  });

  test('fails: the file fails the runbook lint, with file:line of each problem', () => {
    const [f] = runbookExistsRule.check(linking('runbooks/broken.md'), ctx);
    expect(f.level).toBe(FindingLevel.ERROR);
    expect(f.message).toMatch(/fails the runbook lint/);
    expect(f.message).toMatch(/runbooks\/broken\.md:\d+:\d+ error Runbook-/);
  });

  test('a stale runbook warns by default and fails when staleRunbookIsError', () => {
    const later = { ...ctx, runbookLint: { now: new Date('2027-11-23T12:00:00Z') } };
    const [w] = runbookExistsRule.check(linking('runbooks/good.md'), later);
    expect(w).toMatchObject({ level: FindingLevel.WARNING, detail: 'Stale' });
    const [e] = runbookExistsRule.check(linking('runbooks/good.md'), { ...later, staleRunbookIsError: true });
    expect(e.level).toBe(FindingLevel.ERROR);
    expect(e.message).toMatch(/Runbook-Stale/);
  });

  test('percent-encoded paths map back to files; paths escaping the root do not', () => {
    expect(runbookFileForUrl(`${BASE_URL}/runbooks/my%20file.md#triage`, BASE_URL, '/p')).toBe('/p/runbooks/my file.md');
    expect(runbookFileForUrl(`${BASE_URL}/../etc/passwd`, BASE_URL, '/p')).toBeUndefined();
  });

  test('the cache lints each file once', () => {
    const cache = new RunbookFileCache({ now: NOW });
    const a = cache.get(`${GATE_FIXTURES}/runbooks/good.md`);
    expect(cache.get(`${GATE_FIXTURES}/runbooks/good.md`)).toBe(a);
  });
});

test('a runbook the CLI has already linted is not linted (or even read) again for the alarms that link it', () => {
  const cache = new RunbookFileCache({ now: NOW });
  const file = `${GATE_FIXTURES}/runbooks/linted-elsewhere.md`; // does not exist: get() must not look
  const findings = [{ ruleId: 'Runbook-Owner', level: FindingLevel.ERROR, file, line: 1, column: 1, message: 'the runbook names no owner', fix: 'add owner' }];
  cache.remember(file, findings);
  expect(cache.get(file)).toEqual({ file, exists: true, directory: false, findings });
});

describe('IncidentReadiness-RunbookExists[OutsideBaseUrl]: a runbook URL outside the base URL is said, not silent', () => {
  const at = (runbookUrl: string) => page({ AlarmDescription: contract({ severity: Severity.SEV2, runbookUrl, firstMove: 'x', owner: 'y' }) });

  test('warns that it cannot be checked, naming the base URL and how to keep runbooks elsewhere', () => {
    expect(runbookExistsRule.check(at('https://wiki.acme.io/x'), ctx)).toEqual([expect.objectContaining({
      ruleId: 'IncidentReadiness-RunbookExists', level: FindingLevel.WARNING, detail: 'OutsideBaseUrl',
      message: `links runbook https://wiki.acme.io/x, outside the base URL ${BASE_URL}: it cannot be checked`,
      fix: expect.stringMatching(/list the host or URL prefix in the context key cdk-runbook-alarms:runbookUrlPrefixes \(runbook_url_prefixes in \.runbook-alarms\.yaml\) or acknowledge IncidentReadiness-RunbookExists\[OutsideBaseUrl\] once/),
    })]);
  });

  test('a near miss of the base URL (an org or repository name mistyped) says what was probably meant', () => {
    const base = new URL(BASE_URL);
    const typo = BASE_URL.replace(base.pathname.split('/')[2], base.pathname.split('/')[2].replace(/^(.)(.)/, '$2$1'));
    const [f] = runbookExistsRule.check(at(`${typo}/runbooks/good.md`), ctx);
    expect(f.message).toBe(`links runbook ${typo}/runbooks/good.md, outside the base URL ${BASE_URL}: it cannot be checked (did you mean ${BASE_URL}/runbooks/good.md?)`);
    expect(f.fix).toMatch(/^fix the URL if it is a typo; /);
  });

  test('a host or URL prefix the team lists is not reported; a look-alike of it is', () => {
    for (const prefixes of [['wiki.acme.io'], ['https://wiki.acme.io'], ['https://WIKI.acme.io/']]) {
      expect(runbookExistsRule.check(at('https://wiki.acme.io/x'), { ...ctx, runbookUrlPrefixes: prefixes })).toEqual([]);
    }
    expect(runbookExistsRule.check(at('https://wiki.acme.io/ops/x'), { ...ctx, runbookUrlPrefixes: ['https://wiki.acme.io/ops'] })).toEqual([]);
    for (const url of ['https://wiki.acme.io/opsx/x', 'https://wiki.acme.io.evil.example/x', 'http://wiki.acme.io/ops/x']) {
      expect(runbookExistsRule.check(at(url), { ...ctx, runbookUrlPrefixes: ['https://wiki.acme.io/ops'] })).toHaveLength(1);
    }
  });

  test('dot segments are resolved as a browser does: `main/../x` is outside; an encoded `..%2F` under the base URL is not', () => {
    expect(runbookExistsRule.check(at(`${BASE_URL}/../outside.md`), ctx)).toEqual([expect.objectContaining({ detail: 'OutsideBaseUrl' })]);
    expect(runbookExistsRule.check(at(`${BASE_URL}/%2E%2E%2Foutside.md`), ctx)).toEqual([]);
  });
});
