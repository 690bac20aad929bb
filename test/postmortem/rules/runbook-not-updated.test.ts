import * as fs from 'fs';
import * as path from 'path';
import { runbookNotUpdatedRule as rule } from '../../../lib/postmortem/rules/runbook-not-updated';
import { BASE, ROOT, check, describeFixtures, variant } from '../helpers';

test('compliant: a Final postmortem whose runbook was updated after the incident', () => {
  expect(check(rule, BASE)).toEqual([]); // incident 2026-11-16, runbook 2026-11-18
  expect(check(rule, variant(['date: 2026-11-16', 'date: 2026-11-18']))).toEqual([]); // the same day counts
});

test('compliant: drafts, postmortems without a runbook, runbooks kept elsewhere are not judged', () => {
  expect(check(rule, variant(['status: Final', 'status: In review'], ['date: 2026-11-16', 'date: 2026-11-20']))).toEqual([]);
  expect(check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: none'], ['date: 2026-11-16', 'date: 2026-11-20']))).toEqual([]);
  expect(check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', 'runbook: https://wiki.acme.dev/backlog'], ['date: 2026-11-16', 'date: 2026-11-20']))).toEqual([]);
});

test('non-compliant: the runbook was last updated before the incident', () => {
  const findings = check(rule, variant(['date: 2026-11-16', 'date: 2026-11-20']));
  expect(findings).toEqual([expect.objectContaining({
    level: 'warning', line: 6,
    message: 'the postmortem is Final but its runbook runbooks/payment-webhook-backlog.md was last updated 2026-11-18, before the incident (2026-11-20)',
  })]);
});

test('non-compliant: a runbook with no last_updated cannot show it was updated', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'tmp-'));
  try {
    fs.writeFileSync(path.join(dir, 'undated.md'), '# Runbook: undated\n');
    const findings = check(rule, variant(['runbook: runbooks/payment-webhook-backlog.md', `runbook: ${path.relative(ROOT, dir)}/undated.md`]));
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringContaining('has no last_updated date') })]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describeFixtures('runbook-not-updated', rule);
