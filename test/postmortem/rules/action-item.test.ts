import { actionItemRule as rule } from '../../../lib/postmortem/rules/action-item';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: every item with a type, one owner, a due date, a ticket and a status', () => {
  expect(check(rule, BASE)).toEqual([]);
});

test('compliant: the guide\'s column names, markdown in cells, "No action items: why" instead of a table', () => {
  const guide = variant(['| # | Action | Type | Owner | Due | Ticket | Status |', '| # | Content | Type (prevent/mitigate/process) | Owner | Due | Ticket | Status |'],
    ['| PAY-1432 | open |', '| [PAY-1432](https://jira.acme.dev/browse/PAY-1432) | **Open** |'], ['| prevent | Dana', '| Prevention | Dana']);
  expect(check(rule, guide)).toEqual([]);
  const none = BASE.slice(0, BASE.indexOf('| # |')) + 'No action items: the provider fixed the fault and the alarm worked as designed.\n';
  expect(check(rule, none)).toEqual([]);
});

test('non-compliant: missing values are named together, one finding per item', () => {
  const findings = check(rule, variant(['| Dana Whitfield | 2026-11-27 | PAY-1432 | open |', '| TBD | | - | |']));
  expect(findings).toEqual([expect.objectContaining({ line: 43, message: 'action item 1 ("Scale the consumer on queue depth (target 100 messages pe…") has no owner, no due date, no ticket, no status' })]);
});

test('non-compliant: a type, a date or a status that is not one; two owners', () => {
  const findings = check(rule, variant(['| process | Sam Okafor |', '| procedure | Sam Okafor, Lee Chen |'], ['2026-11-30 | PAY-1434 | open', 'Q4 | PAY-1434 | in progress']));
  expect(findings.map((f) => [f.line, f.message.replace(/ \(".*?"\)/, '')])).toEqual([
    [44, 'action item 2 has the type "procedure"'],
    [44, 'action item 2 has 2 owners (Sam Okafor, Lee Chen)'],
    [45, 'action item 3 is due "Q4", not a YYYY-MM-DD date'],
    [45, 'action item 3 has the status "in progress"'],
  ]);
});

test('non-compliant: the guide\'s table without Status gets one finding saying to add it', () => {
  const text = variant(['| Ticket | Status |', '| Ticket |'], ['| ------ | ------ |', '| ------ |'], ['| PAY-1432 | open |', '| PAY-1432 |'], ['| PAY-1433 | done |', '| PAY-1433 |'], ['| PAY-1434 | open |', '| PAY-1434 |']);
  expect(check(rule, text)).toEqual([expect.objectContaining({ line: 41, message: 'the action-items table has no Status column', fix: expect.stringContaining('add a Status column') })]);
});

test('non-compliant: a table without an Owner column, an empty table, an empty row, no table', () => {
  expect(check(rule, variant(['| Owner | Due |', '| Due |'], ['| ----- | --- |', '| --- |'], ['| Dana Whitfield | 2026-11-27', '| 2026-11-27'], ['| Sam Okafor | 2026-11-20', '| 2026-11-20'], ['| Dana Whitfield | 2026-11-30', '| 2026-11-30']))
    .map((f) => f.message)).toEqual(['the action-items table has no Owner column']);
  const empty = BASE.slice(0, BASE.indexOf('| 1 |'));
  expect(check(rule, empty).map((f) => f.message)).toEqual(['the action-items table has no action items']);
  expect(check(rule, empty + '| | | | | | | |\n').map((f) => f.message)).toEqual(['action item 1 is empty']);
  expect(check(rule, BASE.slice(0, BASE.indexOf('| # |')) + 'We will follow up.\n').map((f) => f.message)).toEqual(['the Action items section has no action-items table']);
});

describeFixtures('action-item', rule);
