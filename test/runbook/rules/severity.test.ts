// Runbook-Severity: a severity in the front matter, when given, is one of SEV1-SEV4.
import { severityRule as rule } from '../../../lib/runbook/rules/severity';
import { Severity } from '../../../lib/core/severity';
import { BASE, check, describeFixtures, parse, variant } from '../helpers';

test('compliant: a valid severity (as the severity policy spells it), or none', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(parse(variant(['severity: SEV2', 'severity: sev-2'])).severity).toBe(Severity.SEV2);
  expect(check(rule, variant(['severity: SEV2', 'severity: sev-2']))).toEqual([]);
  expect(check(rule, variant(['severity: SEV2\n', '']))).toEqual([]);
});

test.each(['P1', 'SEV5', 'critical'])('non-compliant: severity %s, on its line', (value) => {
  expect(check(rule, variant(['severity: SEV2', `severity: ${value}`]))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Severity', level: 'error', line: 5, column: 1, message: `severity "${value}" is not a valid severity` }),
  ]);
});

test('non-compliant: a severity YAML reads as a number', () => {
  expect(check(rule, variant(['severity: SEV2', 'severity: 2']))).toEqual([expect.objectContaining({ line: 5, message: 'severity "2" is not a valid severity' })]);
});

describeFixtures('severity', rule);

test('non-compliant: a misspelled severity key (which would turn the cross-check off) gets a did-you-mean', () => {
  expect(check(rule, variant(['severity: SEV2', 'severty: SEV2']))).toEqual([
    expect.objectContaining({ line: 5, message: '"severty" is not a key the rules read; did you mean severity?', fix: 'rename "severty" to "severity"' }),
  ]);
  expect(check(rule, variant(['severity: SEV2', 'service: orders']))).toEqual([]); // a key of the author's own
  expect(check(rule, variant(['severity: SEV2', 'security: high']))).toEqual([]); // near in spelling, but holds no severity
});
