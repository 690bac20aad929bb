import { PostmortemSectionName, PostmortemStatus, isPostmortem, parseStatus, postmortemSectionOf } from '../../lib/postmortem/parser';
import { BASE, parse, variant } from './helpers';

test('reads the fields, sections and action items of a postmortem', () => {
  const doc = parse(BASE);
  expect(Object.fromEntries(Object.entries(doc.fields).map(([k, f]) => [k, [f!.value, f!.line]]))).toEqual({
    incident: ['4f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f', 2], severity: ['SEV2', 3], status: ['Final', 4],
    author: ['Dana Whitfield', 5], runbook: ['runbooks/payment-webhook-backlog.md', 6], date: ['2026-11-16', 7],
  });
  expect(doc).toMatchObject({ title: 'Payment webhook backlog', severity: 'SEV2', status: PostmortemStatus.FINAL });
  expect(doc.sections.map((s) => s.heading.section)).toEqual([
    'Summary', 'Impact', 'Timeline', 'Root cause', 'Detection', 'What went well / poorly', 'Action items',
  ]);
  expect(doc.actionItems).toHaveLength(1);
  const [table] = doc.actionItems;
  expect(table.line).toBe(41);
  expect(table.columns).toEqual({ number: 0, action: 1, type: 2, owner: 3, due: 4, ticket: 5, status: 6 });
  expect(table.items.map((i) => [i.line, i.label, i.cells.owner, i.cells.due, i.cells.status])).toEqual([
    [43, '1', 'Dana Whitfield', '2026-11-27', 'open'],
    [44, '2', 'Sam Okafor', '2026-11-20', 'done'],
    [45, '3', 'Dana Whitfield', '2026-11-30', 'open'],
  ]);
});

test('reads the guide\'s header lines (Status, Author, Reviewer, Date) and the severity in the title', () => {
  const doc = parse('# Postmortem: Checkout errors (SEV1)\nStatus: In Review\nAuthor: Kim  Reviewer: Lee  Date: 2026-06-24\n\n## Summary\nx\n');
  expect(doc).toMatchObject({ title: 'Checkout errors', severity: 'SEV1', status: PostmortemStatus.IN_REVIEW, headerLines: [2, 3] });
  expect(doc.fields.author).toEqual({ value: 'Kim', line: 3, column: 1, header: true });
  expect(doc.fields.date).toEqual({ value: '2026-06-24', line: 3, column: 29, header: true });
  expect(doc.fields.incident).toBeUndefined();
});

test('front matter wins over header lines; a table outside Action items is not one', () => {
  const doc = parse(variant(['(SEV2)\n', '(SEV2)\nStatus: Draft\n'], ['## Impact\n', '## Impact\n| a | b |\n| - | - |\n| 1 | 2 |\n\n']));
  expect(doc.status).toBe(PostmortemStatus.FINAL);
  expect(doc.actionItems).toHaveLength(1);
});

test('section names as people write them', () => {
  expect(['## 4. Root Causes', 'Contributing factors', 'What went well / what went poorly in the response', 'Lessons learned', 'Follow-ups', 'Timeline (UTC)', '**Impact**']
    .map(postmortemSectionOf)).toEqual([
    PostmortemSectionName.ROOT_CAUSE, PostmortemSectionName.ROOT_CAUSE, PostmortemSectionName.LESSONS, PostmortemSectionName.LESSONS,
    PostmortemSectionName.ACTION_ITEMS, PostmortemSectionName.TIMELINE, PostmortemSectionName.IMPACT,
  ]);
  expect(postmortemSectionOf('Appendix')).toBeUndefined();
});

test('statuses as people write them', () => {
  expect(['draft', 'In Review', 'in-review', 'FINAL', 'Draft / In Review / Final', 'done'].map(parseStatus))
    .toEqual(['Draft', 'In review', 'In review', 'Final', undefined, undefined]);
});

test('a postmortem is told from a runbook by its folder, its incident, or its title', () => {
  expect(isPostmortem('/repo/postmortems/2026-11-16-backlog.md', '# x')).toBe(true);
  expect(isPostmortem('/repo/docs/pm.md', '---\ntitle: x\nincident: 42\n---\n')).toBe(true);
  expect(isPostmortem('/repo/docs/pm.md', '# Postmortem: checkout errors (SEV1)\n')).toBe(true);
  expect(isPostmortem('/repo/runbooks/backlog.md', '---\ntitle: Backlog\nowner: payments\n---\n# Runbook: Backlog\n## Postmortem\n')).toBe(false);
});

test('CRLF line endings and a byte order mark read as the same postmortem', () => {
  const doc = parse('\uFEFF' + BASE.replace(/\n/g, '\r\n'));
  expect(doc.actionItems[0].items.map((i) => i.line)).toEqual([43, 44, 45]);
  expect(doc.fields.date?.value).toBe('2026-11-16');
});
