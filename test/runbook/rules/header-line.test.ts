// Runbook-HeaderLine: the SRE guide's header line under the title says what the front matter says.
import { headerLineRule as rule } from '../../../lib/runbook/rules/header-line';
import { BASE, check, describeFixtures, lint, variant } from '../helpers';

const TITLE = '# Runbook: Orders queue backlog\n';
const withHeader = (line: string) => variant([TITLE, `${TITLE}${line}\n`]);

test('compliant: a header line that agrees with the front matter, or none at all', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, withHeader('Last updated: 2026-11-01 / Owner: orders / Related SLO: orders-freshness'))).toEqual([]);
  expect(check(rule, withHeader('Owner: orders | Severity: SEV2 (SEV1 if all checkouts fail)'))).toEqual([]);
});

test('non-compliant: a date that disagrees, at the line and column of the field, naming both', () => {
  expect(check(rule, withHeader('Last updated: 2026-06-24 / Owner: orders'))).toEqual([
    expect.objectContaining({
      ruleId: 'Runbook-HeaderLine', level: 'error', line: 8, column: 1,
      message: 'the header line says Last updated: 2026-06-24, but the front matter says last_updated: 2026-11-01 (line 4)',
      fix: expect.stringContaining('or delete the header line'),
    }),
  ]);
});

test('non-compliant: an owner and a severity that disagree, each reported', () => {
  expect(check(rule, withHeader('Last updated: 2026-11-01 / Owner: payments / Severity: SEV1')).map((f) => [f.column, f.message])).toEqual([
    [28, 'the header line says Owner: payments, but the front matter says owner: orders (line 3)'],
    [46, 'the header line says Severity: SEV1, but the front matter says severity: SEV2 (line 5)'],
  ]);
});

test('a key the front matter lacks is the key\'s own rule\'s to report; other keys are not compared', () => {
  expect(check(rule, variant(['owner: orders\n', ''], [TITLE, `${TITLE}Owner: orders / Related SLO: x\n`]))).toEqual([]);
});

test('only the line under the title counts, and only when it is made of Key: value fields', () => {
  expect(check(rule, variant(['Orders stay in "pending" for more than five minutes.', 'Owner: payments'])).map((f) => f.message)).toEqual([]);
  expect(check(rule, withHeader('Note: the owner is payments / see below'))).toEqual([]);
  expect(check(rule, withHeader('- Owner: payments'))).toEqual([]);
});

test('without front matter, Runbook-FrontMatter says exactly how to move the header line there', () => {
  const text = BASE.replace(/^---[\s\S]*?---\n/, '').replace(TITLE, `${TITLE}Last updated: 2026-11-01 / Owner: orders / Related SLO: orders-freshness\n`);
  expect(lint(text).filter((f) => f.ruleId === 'Runbook-FrontMatter' || f.ruleId === rule.id)).toEqual([
    expect.objectContaining({
      ruleId: 'Runbook-FrontMatter', line: 2, column: 1,
      message: 'the runbook has no front matter; its header line gives Last updated and Owner, which the rules read from front matter',
      fix: 'put these lines at the top of the file: ---, title: Orders queue backlog, owner: orders, last_updated: 2026-11-01, --- (one per line; add severity: SEV1..SEV4), then keep line 2 only if it says the same',
    }),
  ]);
});

describeFixtures('header-line', rule);
