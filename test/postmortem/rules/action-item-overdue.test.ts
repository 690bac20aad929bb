import { actionItemOverdueRule as rule } from '../../../lib/postmortem/rules/action-item-overdue';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: open items not yet due, done items whatever their date', () => {
  expect(check(rule, BASE)).toEqual([]); // item 2 was due 2026-11-20 and is done
  expect(check(rule, variant(['2026-11-27 | PAY-1432 | open', '2026-11-23 | PAY-1432 | open']))).toEqual([]); // due today
});

test('non-compliant: an open item past its due date is an error naming its owner and how late it is', () => {
  const findings = check(rule, variant(['2026-11-27 | PAY-1432 | open', '2026-11-20 | PAY-1432 | open']));
  expect(findings).toEqual([expect.objectContaining({
    level: 'error', line: 43,
    message: 'action item 1 ("Scale the consumer on queue depth (target 100 messages pe…") is open 3 days after its due date 2026-11-20 (owner: Dana Whitfield)',
    fix: expect.stringContaining('set its Status to done'),
  })]);
});

test('non-compliant: "today" comes from the settings', () => {
  expect(check(rule, BASE, { now: new Date('2026-12-01T00:00:00Z') }).map((f) => f.line)).toEqual([43, 45]);
});

describeFixtures('action-item-overdue', rule);
