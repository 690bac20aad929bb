// Runbook-Link: relative link targets resolve (from the runbook's directory) to files that exist.
import { linksRule as rule } from '../../../lib/runbook/rules/links';
import { BASE, check, describeFixtures, variant } from '../helpers';

const LINK = '2. See the [escalation contacts](contacts.md#on-call).';

test('compliant: relative targets that exist (fragment and query ignored), and every kind of target that is not a path', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant([LINK, '2. See [a](./contacts.md?plain=1), [b](<contacts.md>), ![c](contacts.md), [d][ref].\n\n[ref]: contacts.md']))).toEqual([]);
  expect(check(rule, variant([LINK, '2. See [a](https://wiki.example/x), [b](#verify), [c](mailto:ops@example.com), [d](//cdn.example/x).']))).toEqual([]);
});

test('non-compliant: an inline link to a missing file, at its `[`', () => {
  expect(check(rule, variant([LINK, '2. See the [escalation contacts](missing-contacts.md).']))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Link', level: 'error', line: 17, column: 12, message: 'link target "missing-contacts.md" does not exist' }),
  ]);
});

test('non-compliant: an image that is missing', () => {
  expect(check(rule, variant([LINK, '2. The graph: ![queue depth](img/depth.png)']))).toEqual([
    expect.objectContaining({ line: 17, column: 15, message: 'link target "img/depth.png" does not exist' }),
  ]);
});

test('non-compliant: a reference definition to a missing file, at its line (used or not)', () => {
  expect(check(rule, `${BASE}\n[runbook index]: ../index/missing.md\n`)).toEqual([
    expect.objectContaining({ line: 31, column: 1, message: 'link target "../index/missing.md" does not exist' }),
  ]);
});

test('links that are not links are not checked: code spans, code blocks, HTML comments', () => {
  const text = variant([LINK, '2. Not links: `[a](gone.md)`\n\n   ```\n   [b](gone.md)\n   ```\n<!-- [c](gone.md) -->']);
  expect(check(rule, text)).toEqual([]);
});

test('checkLinks: false skips the check', () => {
  expect(check(rule, variant([LINK, '2. See [x](missing.md).']), { checkLinks: false })).toEqual([]);
});

describeFixtures('link', rule);

test('a link starting with / is resolved from the repository root (an ancestor directory), not from the disk root', () => {
  // The rule fixtures live in <repo>/test/fixtures/cli/rules; /package.json is the repository's.
  expect(check(rule, variant([LINK, '2. See [the package](/package.json) and [the rules](/test/fixtures/cli/rules/contacts.md).']))).toEqual([]);
  expect(check(rule, variant([LINK, '2. See [gone](/no-such-dir/contacts.md).']))).toEqual([
    expect.objectContaining({ line: 17, column: 8, message: 'link target "/no-such-dir/contacts.md" does not exist', fix: expect.stringContaining('resolved from the repository root') }),
  ]);
});
