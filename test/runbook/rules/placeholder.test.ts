// Runbook-Placeholder: no TODO, TBD, FIXME, XXX or <fill me in> left in the body.
import * as fs from 'fs';
import { placeholderRule as rule } from '../../../lib/runbook/rules/placeholder';
import { BASE, check, describeFixtures, fixture, variant } from '../helpers';

const COMMS = 'Post in `#incidents` with the next update time.';

test('compliant: HTML tags, comments, autolinks and e-mail addresses are not placeholders', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant([COMMS, 'Post in `#incidents`<br>see <https://status.example.com>, mail <oncall@example.com>.\n<!-- reviewed -->\n<details><summary>More</summary></details>']))).toEqual([]);
  expect(check(rule, variant(['title: Orders queue backlog', 'title: TODO']))).toEqual([]); // the front matter is not the body
});

test('non-compliant: each placeholder, at its line and column', () => {
  expect(check(rule, fs.readFileSync(fixture('placeholder.fail.md'), 'utf8')).map((f) => [f.line, f.column, f.message])).toEqual([
    [26, 9, 'placeholder <channel> is left in the runbook'],
    [26, 46, 'placeholder TODO is left in the runbook'],
  ]);
});

test.each(['TODO', 'TBD', 'FIXME', 'XXX', '<the dashboard URL>'])('non-compliant: %s', (placeholder) => {
  expect(check(rule, variant([COMMS, `Post in ${placeholder}.`]))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Placeholder', level: 'error', line: 26, column: 9, message: `placeholder ${placeholder} is left in the runbook` }),
  ]);
});

test('non-compliant: a placeholder in a command is one too (the reader would have to fill it in)', () => {
  expect(check(rule, variant([COMMS, '```bash\naws secretsmanager get-secret-value --secret-id <name>\n```']))).toEqual([
    expect.objectContaining({ line: 27, column: 49, message: 'placeholder <name> is left in the runbook' }),
  ]);
});

describeFixtures('placeholder', rule);

test('compliant: layout HTML a renderer shows (headings, quotes, definition lists, strike-through) is no placeholder', () => {
  expect(check(rule, variant([COMMS, '<h2>Comms</h2>\n\n<blockquote>Post in #incidents.</blockquote>\n<dl><dt>Channel</dt><dd>#incidents</dd></dl> <del>#ops</del> <u>now</u>']))).toEqual([]);
});

test('non-compliant: an element name that is also a word left to fill in is still a placeholder', () => {
  expect(check(rule, variant([COMMS, 'Post in <channel> with <link> and <time>.'])).map((f) => f.message)).toEqual([
    'placeholder <channel> is left in the runbook', 'placeholder <link> is left in the runbook', 'placeholder <time> is left in the runbook',
  ]);
});
