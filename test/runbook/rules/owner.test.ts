// Runbook-Owner: someone owns the runbook (and, with an allow-list, a team that exists).
import { ownerRule as rule } from '../../../lib/runbook/rules/owner';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: an owner, with or without an allow-list that holds it', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, BASE, { owners: ['orders', 'payments'] })).toEqual([]);
  expect(check(rule, BASE, { owners: [] })).toEqual([]); // an empty list allows any owner
});

test('non-compliant: no owner', () => {
  expect(check(rule, variant(['owner: orders\n', '']))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Owner', level: 'error', line: 1, column: 1, message: 'the runbook names no owner' }),
  ]);
});

test('non-compliant: an empty owner, reported on its line', () => {
  expect(check(rule, variant(['owner: orders', 'owner: ""']))).toEqual([expect.objectContaining({ line: 3, message: 'the runbook names no owner' })]);
});

test('non-compliant: an owner the allow-list does not hold, on the owner line, naming the allowed teams', () => {
  expect(check(rule, BASE, { owners: ['payments'] })).toEqual([
    expect.objectContaining({ line: 3, message: 'owner "orders" is not one of the allowed owners', fix: expect.stringContaining('use one of: payments') }),
  ]);
});

describeFixtures('owner', rule);

test.each([
  ['a misspelled key', 'ownr: orders', 'ownr'],
  ['a capitalised key', 'Owner: orders', 'Owner'],
  ['another name for it', 'team: orders', 'team'],
])('non-compliant: %s gets a did-you-mean on its line', (_what, line, key) => {
  expect(check(rule, variant(['owner: orders', line]))).toEqual([expect.objectContaining({
    line: 3, message: `the runbook names no owner ("${key}" is not a key the rules read; did you mean owner?)`, fix: `rename "${key}" to "owner"`,
  })]);
});

test.each([
  ['a list', 'owner: [orders, payments]'],
  ['a mapping', 'owner:\n  team: orders'],
])('non-compliant: an owner that is %s says so', (shape, line) => {
  expect(check(rule, variant(['owner: orders', line]))).toEqual([expect.objectContaining({ line: 3, message: `owner is ${shape}, not a team name` })]);
});
