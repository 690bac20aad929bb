import { followThrough } from '../../lib/postmortem/status';
import { BASE, parse, variant } from './helpers';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

test('a Final postmortem is not pending; its open items are, overdue first, with the count per owner', () => {
  const f = followThrough([parse(BASE)], day('2026-11-28'));
  expect(f.postmortems).toEqual([]);
  expect(f.actionItems.map((i) => [i.label, i.owner, i.due, i.overdueDays, i.ticket, i.status])).toEqual([
    ['1', 'Dana Whitfield', '2026-11-27', 1, 'PAY-1432', 'open'],
    ['3', 'Dana Whitfield', '2026-11-30', -2, 'PAY-1434', 'open'],
  ]);
  expect(f.owners).toEqual([{ owner: 'Dana Whitfield', open: 2, overdue: 1 }]);
});

test('a draft is due two business days after its date unless it says when', () => {
  const draft = parse(variant(['status: Final', 'status: Draft'], ['date: 2026-11-16', 'date: 2026-11-20']), 'a.md'); // a Friday
  expect(followThrough([draft], day('2026-11-23')).postmortems).toEqual([expect.objectContaining({ status: 'Draft', due: '2026-11-24', overdueDays: -1 })]);
  const dated = parse(variant(['status: Final', 'status: In review'], ['date: 2026-11-16\n', 'date: 2026-11-16\ndue: 2026-11-18\n']), 'b.md');
  expect(followThrough([dated], day('2026-11-23')).postmortems).toEqual([expect.objectContaining({ status: 'In review', due: '2026-11-18', overdueDays: 5 })]);
});

test('items without a status, owner or date are listed (they are not done); done ones are not', () => {
  const text = variant(['| Dana Whitfield | 2026-11-27 | PAY-1432 | open |', '| | | PAY-1432 | |']);
  const f = followThrough([parse(text)], day('2026-11-28'));
  expect(f.actionItems.map((i) => [i.label, i.owner, i.due, i.status])).toEqual([['3', 'Dana Whitfield', '2026-11-30', 'open'], ['1', undefined, undefined, '']]);
  expect(f.owners).toEqual([{ owner: 'Dana Whitfield', open: 1, overdue: 0 }, { owner: '(no owner)', open: 1, overdue: 0 }]);
});
