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
