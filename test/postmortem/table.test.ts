import { readDocument } from '../../lib/runbook/document';
import { readTables } from '../../lib/postmortem/table';

const tables = (md: string) => readTables(readDocument(md).lines);

test('a GFM table: header, delimiter, rows up to a blank line; outer pipes optional; escaped pipes kept', () => {
  const t = tables('x\n\n| # | Action | Ticket |\n|---|:------|-------:|\n| 1 | Split `a\\|b` logs | OPS-1 |\n2 | no outer pipes | OPS-2\n\nafter | not | a row\n');
  expect(t).toEqual([{ line: 3, header: { line: 3, cells: ['#', 'Action', 'Ticket'] }, rows: [
    { line: 5, cells: ['1', 'Split `a|b` logs', 'OPS-1'] },
    { line: 6, cells: ['2', 'no outer pipes', 'OPS-2'] },
  ] }]);
});

test('rows are cut or padded to the header; a delimiter of another width, or none, is no table', () => {
  expect(tables('| a | b |\n| - | - |\n| 1 | 2 | 3 |\n| 4 |\n')[0].rows.map((r) => r.cells)).toEqual([['1', '2'], ['4', '']]);
  expect(tables('| a | b |\n| - |\n| 1 | 2 |\n')).toEqual([]);
  expect(tables('| a | b |\n| 1 | 2 |\n')).toEqual([]);
});

test('a table in a code block or an HTML comment is not one; a line without a pipe ends the rows', () => {
  expect(tables('```\n| a | b |\n| - | - |\n```\n<!--\n| a | b |\n| - | - |\n-->\n')).toEqual([]);
  expect(tables('| a | b |\n| - | - |\n| 1 | 2 |\nplain text\n| 3 | 4 |\n')[0].rows).toHaveLength(1);
});
