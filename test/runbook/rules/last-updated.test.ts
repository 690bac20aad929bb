// Runbook-LastUpdated: last_updated is a real YYYY-MM-DD date and not in the future.
import { lastUpdatedRule as rule } from '../../../lib/runbook/rules/last-updated';
import { BASE, check, describeFixtures, fixture, variant } from '../helpers';
import * as fs from 'fs';

test('compliant: a real date in the past, up to one day ahead (an author east of UTC), or as YAML reads it', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: 2026-11-24']))).toEqual([]); // today is 2026-11-23
  expect(check(rule, variant(['last_updated: 2026-11-01', 'last_updated: "2026-11-01" # walked through by ops']))).toEqual([]);
});

test.each([
  ['missing', ['last_updated: 2026-11-01\n', ''], 1, 'the runbook has no last_updated date'],
  ['not YYYY-MM-DD', ['last_updated: 2026-11-01', 'last_updated: 01/11/2026'], 4, 'last_updated "01/11/2026" is not a YYYY-MM-DD date'],
  ['not a real date', ['last_updated: 2026-11-01', 'last_updated: 2026-02-30'], 4, 'last_updated "2026-02-30" is not a real date'],
  ['in the future', ['last_updated: 2026-11-01', 'last_updated: 2026-11-25'], 4, 'last_updated 2026-11-25 is in the future'],
] as Array<[string, [string, string], number, string]>)('non-compliant: %s', (_way, edit, line, message) => {
  expect(check(rule, variant(edit))).toEqual([expect.objectContaining({ ruleId: 'Runbook-LastUpdated', level: 'error', line, column: 1, message })]);
});

test('"today" is the one the caller passes: a date in the future fails against an earlier today', () => {
  const text = fs.readFileSync(fixture('last-updated.pass.md'), 'utf8'); // last_updated 2026-11-24
  expect(check(rule, text)).toEqual([]);
  expect(check(rule, text, { now: new Date('2026-11-01T12:00:00Z') })).toEqual([expect.objectContaining({ message: expect.stringMatching(/future/) })]);
});

test('the rule never reads RUNBOOK_ALARMS_NOW: resolving "today" is the front door\'s job', () => {
  const saved = process.env.RUNBOOK_ALARMS_NOW;
  process.env.RUNBOOK_ALARMS_NOW = 'not a date';
  try {
    expect(check(rule, BASE)).toEqual([]);
  } finally {
    process.env.RUNBOOK_ALARMS_NOW = saved;
  }
});

describeFixtures('last-updated', rule);

test.each([
  ['last_reviewed: 2026-11-01', 'last_reviewed'],
  ['last-updated: 2026-11-01', 'last-updated'],
  ['last_udpated: 2026-11-01', 'last_udpated'],
])('non-compliant: %s gets a did-you-mean on its line', (line, key) => {
  expect(check(rule, variant(['last_updated: 2026-11-01', line]))).toEqual([expect.objectContaining({
    line: 4, message: `the runbook has no last_updated date ("${key}" is not a key the rules read; did you mean last_updated?)`, fix: `rename "${key}" to "last_updated"`,
  })]);
});

test.each([
  ['a month 13', 'last_updated: 2026-13-01', 'last_updated "2026-13-01" is not a real date'],
  ['a timestamp', 'last_updated: 2026-11-01T10:00:00Z', 'last_updated "2026-11-01T10:00:00Z" is not a YYYY-MM-DD date'],
  ['a quoted impossible day', 'last_updated: "2026-02-30"', 'last_updated "2026-02-30" is not a real date'],
])('non-compliant: %s', (_what, line, message) => {
  expect(check(rule, variant(['last_updated: 2026-11-01', line]))).toEqual([expect.objectContaining({ line: 4, message })]);
});
