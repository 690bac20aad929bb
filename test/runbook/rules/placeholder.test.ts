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

describe('template example text in a Mitigate checklist item (the first move comes from there)', () => {
  const MOVE = '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`';

  test('non-compliant: the SRE guide\'s template line, at the column of its "e.g.)"', () => {
    expect(check(rule, fs.readFileSync(fixture('placeholder.fail-example.md'), 'utf8'))).toEqual([
      expect.objectContaining({ line: 20, column: 45, message: 'Mitigate checklist item holds template example text "e.g.)"; it is labelled as the first move, which every page carries' }),
    ]);
  });

  test.each([
    ['e.g.', `${MOVE}\n- [ ] Then roll back, e.g. with \`kubectl rollout undo\``, 21, 23, 'e.g.'],
    ['例)', `${MOVE}\n- [ ] 次の手: 例) スケールアウト`, 21, 12, '例)'],
    ['for example', `- [ ] Scale out, for example to 10 tasks\n${MOVE}`, 20, 18, 'for example'],
  ])('non-compliant: %s', (_what, mitigate, line, column, marker) => {
    expect(check(rule, variant([MOVE, mitigate]))).toEqual([
      expect.objectContaining({ line, column, message: expect.stringContaining(`holds template example text "${marker}"`) }),
    ]);
  });

  test('non-compliant: the template\'s own wording, kept without its "e.g.)"', () => {
    expect(check(rule, variant([MOVE, `- [ ] First move: OFF with a feature flag / roll back the last deploy\n${MOVE}`]))).toEqual([
      expect.objectContaining({ line: 20, column: 19, message: expect.stringContaining('is the runbook template\'s example wording ("OFF with a feature flag / roll back the last deploy")') }),
    ]);
  });

  test('compliant: an example in prose, in a plain bullet, in another section or in a warning is no step', () => {
    expect(check(rule, variant([MOVE, `${MOVE}\n- Write each step as a command, e.g. the one above\n- [ ] ⚠️ Never purge the queue (e.g. \`aws sqs purge-queue\`)`]))).toEqual([]);
    expect(check(rule, variant([COMMS, 'Post in `#incidents`, e.g. "Orders are delayed; next update in 15 min".']))).toEqual([]);
    expect(check(rule, variant(['- [ ] Queue depth under 50 for 10 minutes.', '- [ ] Queue depth back to normal, e.g. under 50 for 10 minutes.']))).toEqual([]);
  });

  test('a placeholder in a Mitigate item is reported once, by the line scan', () => {
    expect(check(rule, variant([MOVE, '- [ ] First move: `aws ecs update-service --desired-count <n>`'])).map((f) => f.message)).toEqual([
      'placeholder <n> is left in the runbook',
    ]);
  });
});
