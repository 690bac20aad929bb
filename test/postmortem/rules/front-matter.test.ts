import { frontMatterRule as rule } from '../../../lib/postmortem/rules/front-matter';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: front matter naming incident, severity, status, author, runbook and date', () => {
  expect(check(rule, BASE)).toEqual([]);
});

test('compliant: the guide\'s header lines under the title, the severity in the title', () => {
  const text = variant(
    ['---\nincident: 4f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f\nseverity: SEV2\nstatus: Final\nauthor: Dana Whitfield\nrunbook: runbooks/payment-webhook-backlog.md\ndate: 2026-11-16\n---\n', ''],
    ['(SEV2)\n', '(SEV2)\nStatus: In Review\nAuthor: Dana Whitfield  Reviewer: Sam Okafor  Date: 2026-11-16\nIncident: INC-2041  Runbook: none\n'],
  );
  expect(check(rule, text)).toEqual([]);
});

test('compliant: a runbook given by URL under the base URL, or relative to the postmortem', () => {
  const url = variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md']);
  expect(check(rule, url, { runbookBaseUrl: 'https://github.com/acme/ops/blob/main' })).toEqual([]);
  expect(check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: ../runbooks/payment-webhook-backlog.md']))).toEqual([]);
  // A URL elsewhere (a wiki) is not ours to check.
  expect(check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: https://wiki.acme.dev/payments/backlog']))).toEqual([]);
});

test('non-compliant: no front matter and no header lines', () => {
  const text = BASE.slice(BASE.indexOf('# Postmortem'));
  expect(check(rule, text)).toEqual([expect.objectContaining({ line: 1, message: 'the postmortem has no front matter', fix: expect.stringContaining('incident, severity, status, author, runbook, date') })]);
});

test('non-compliant: each missing field is named, at the end of the front matter', () => {
  const findings = check(rule, variant(['author: Dana Whitfield\n', ''], ['date: 2026-11-16\n', '']));
  expect(findings.map((f) => [f.line, f.message])).toEqual([[6, 'the postmortem has no author'], [6, 'the postmortem has no date']]);
});

test('non-compliant: a key by another name says which one it is', () => {
  const findings = check(rule, variant(['incident: ', 'incident_id: ']));
  expect(findings).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('did you mean incident?'), fix: 'rename "incident_id" to "incident"' })]);
});

test('non-compliant: a severity, status or date that is not one', () => {
  const findings = check(rule, variant(['severity: SEV2', 'severity: P2'], ['status: Final', 'status: Done'], ['date: 2026-11-16', 'date: 2026-02-30']));
  expect(findings.map((f) => f.message)).toEqual([
    'severity "P2" is not SEV1, SEV2, SEV3 or SEV4',
    'status "Done" is not Draft, In review or Final',
    'date "2026-02-30" is not a real YYYY-MM-DD date',
  ]);
  expect(check(rule, variant(['date: 2026-11-16', 'date: 2026-12-24']))[0].message).toBe('date 2026-12-24 is in the future');
});

test('non-compliant: the template\'s status line and placeholders are not values', () => {
  const findings = check(rule, variant(['status: Final', 'status: Draft / In Review / Final'], ['author: Dana Whitfield', 'author: <name>']));
  expect(findings.map((f) => f.message)).toEqual(['status "Draft / In Review / Final" lists the template\'s choices', 'author is still the template\'s "<name>"']);
});

test('non-compliant: a runbook path that is no file', () => {
  const findings = check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: runbooks/payment-backlog.md']));
  expect(findings).toEqual([expect.objectContaining({ line: 6, message: expect.stringMatching(/^runbook "runbooks\/payment-backlog.md" is no file \(looked for runbooks\/payment-backlog.md and/) })]);
});

test('non-compliant: YAML that does not parse is reported at its line, and nothing else', () => {
  const findings = check(rule, variant(['author: Dana Whitfield', 'author: [Dana']));
  expect(findings.length).toBe(1);
  expect(findings[0].message).toMatch(/^front matter is not valid YAML/);
  expect(findings[0].line).toBeGreaterThanOrEqual(5);
});

describeFixtures('front-matter', rule);
