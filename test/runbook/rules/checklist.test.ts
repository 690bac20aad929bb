// Runbook-Checklist: Mitigate and Verify each hold a `- [ ]` item; Mitigate's first is the first move.
import { checklistRule as rule } from '../../../lib/runbook/rules/checklist';
import { BASE, check, describeFixtures, variant } from '../helpers';

const MITIGATE_ITEM = '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`';
const VERIFY_ITEM = '- [ ] Queue depth under 50 for 10 minutes.';

test('compliant: any list marker, checked or not, nested, or wrapped over lines', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant([MITIGATE_ITEM, '1. [ ] Scale out'], [VERIFY_ITEM, '* [x] Queue depth under 50']))).toEqual([]);
  expect(check(rule, variant([MITIGATE_ITEM, '- Steps:\n  - [ ] Scale out\n    to 10 tasks']))).toEqual([]);
});

test('non-compliant: Mitigate without a checklist item', () => {
  expect(check(rule, variant([MITIGATE_ITEM, '- Scale out the consumer']))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Checklist', level: 'error', line: 19, column: 1, message: 'section "Mitigate" has no checklist item',
      fix: expect.stringContaining('its first item is the first move sent with every page') }),
  ]);
});

test('non-compliant: Verify without a checklist item', () => {
  expect(check(rule, variant([VERIFY_ITEM, 'Queue depth under 50 for 10 minutes.']))).toEqual([
    expect.objectContaining({ line: 22, message: 'section "Verify" has no checklist item', fix: expect.stringContaining('bleeding stopped') }),
  ]);
});

test.each([
  ['only a placeholder', '- [ ] <the first move>'],
  ['only inside an HTML comment', '<!--\n- [ ] Scale out\n-->\nScale out.'],
  ['only inside a code block', '```\n- [ ] Scale out\n```'],
  ['a box without a step', '- [ ]'],
])('non-compliant: Mitigate whose item is %s', (_what, content) => {
  expect(check(rule, variant([MITIGATE_ITEM, content]))).toEqual([expect.objectContaining({ message: 'section "Mitigate" has no checklist item' })]);
});

test('a missing section is Runbook-Sections\' to report', () => {
  expect(check(rule, variant(['## Verify\n' + VERIFY_ITEM + '\n', '']))).toEqual([]);
});

describeFixtures('checklist', rule);

describe('a warning is never the first move', () => {
  test('non-compliant: Mitigate whose only checklist item is a warning, naming its line', () => {
    expect(check(rule, variant([MITIGATE_ITEM, '- [ ] ⚠️ What you must never do: purge the queue\n- Scale out the consumer']))).toEqual([
      expect.objectContaining({
        line: 19,
        message: 'section "Mitigate" has no checklist item that can be the first move (line 20 is a warning, and a warning is never the first move)',
        fix: expect.stringContaining('travels with the page as its "Never:" line'),
      }),
    ]);
    expect(check(rule, variant([MITIGATE_ITEM, '- [ ] Do not purge the queue\n- [ ] Never reboot the writer']))[0].message).toContain('(lines 20, 21 are warnings,');
  });

  test('compliant: a warning above the real first move', () => {
    expect(check(rule, variant([MITIGATE_ITEM, `- [ ] ⚠️ Never purge the queue\n${MITIGATE_ITEM}`]))).toEqual([]);
  });
});
