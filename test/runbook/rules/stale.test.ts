// Runbook-Stale: last_updated is no older than the review limit of the runbook's severity.
import { staleRule as rule } from '../../../lib/runbook/rules/last-updated';
import { BASE, check, describeFixtures, variant } from '../helpers';

// "Today" is 2026-11-23: 2026-08-25 is 90 days before, 2026-05-27 is 180.
test('compliant: within the limit of the severity, the limit day included', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-08-25']))).toEqual([]); // SEV2, 90 days
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-05-27'], ['severity: SEV2', 'severity: SEV4']))).toEqual([]);
});

test('non-compliant: older than the limit of its severity, with its age and the limit', () => {
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-08-24']))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Stale', level: 'error', line: 4, column: 1,
      message: 'last_updated 2026-08-24 is 91 days old; SEV2 runbooks must be reviewed every 90 days' }),
  ]);
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-05-26'], ['severity: SEV2', 'severity: SEV3'])))
    .toEqual([expect.objectContaining({ message: expect.stringContaining('is 181 days old; SEV3 runbooks must be reviewed every 180 days') })]);
});

test('non-compliant: a runbook without a severity is held to the strictest limit', () => {
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-08-01'], ['severity: SEV2\n', ''])))
    .toEqual([expect.objectContaining({ message: expect.stringContaining('SEV1 runbooks must be reviewed every 90 days') })]);
});

test('the limit per severity is configurable', () => {
  const sev3 = variant(['last_updated: 2026-11-01', 'last_updated: 2026-06-01'], ['severity: SEV2', 'severity: SEV3']); // 175 days
  expect(check(rule, sev3)).toEqual([]);
  expect(check(rule, sev3, { maxAgeDays: { sev3: 100 } }).map((f) => f.ruleId)).toEqual(['Runbook-Stale']);
  const sev2 = variant(['last_updated: 2026-11-01', 'last_updated: 2026-06-01']);
  expect(check(rule, sev2)).toHaveLength(1);
  expect(check(rule, sev2, { maxAgeDays: { sev2: 200 } })).toEqual([]);
});

test('a date that is not a date is Runbook-LastUpdated\'s to report, not this rule\'s', () => {
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2020-02-30']))).toEqual([]);
});

describeFixtures('stale', rule);
