// Runbook-Sections: Detect, Triage, Mitigate, Verify, Comms, Postmortem, in order, each with content.
import { sectionsRule as rule } from '../../../lib/runbook/rules/sections';
import { BASE, check, describeFixtures, variant } from '../helpers';

const TRIAGE = '1. Check the consumer: `aws ecs describe-services --cluster orders --services consumer`\n2. See the [escalation contacts](contacts.md#on-call).\n';

test('compliant: every section, in order, with content; numbering, aliases and setext headings are fine', () => {
  expect(check(rule, BASE)).toEqual([]);
  expect(check(rule, variant(['## Mitigate', '## 3. Mitigate'], ['## Comms', '## Communicate'], ['## Postmortem', '## Post-mortem']))).toEqual([]);
  expect(check(rule, variant(['## Verify', 'Verify\n------'], ['## Detect', 'Detection\n---------']))).toEqual([]);
  expect(check(rule, variant([TRIAGE, '```bash\naws ecs describe-services --cluster orders\n```\n']))).toEqual([]); // code is content
});

test('non-compliant: a section is missing, reported after the one it should follow', () => {
  expect(check(rule, variant(['## Postmortem\nWithin 5 business days for SEV2.\n', '']))).toEqual([
    expect.objectContaining({ ruleId: 'Runbook-Sections', level: 'error', line: 25, column: 1, message: 'the runbook has no Postmortem section',
      fix: expect.stringContaining('after "## Comms"') }),
  ]);
  expect(check(rule, variant(['## Detect', '## Findings']))).toEqual([
    expect.objectContaining({ line: 30, message: 'the runbook has no Detect section' }), // no section before it: the last line
  ]);
});

test('non-compliant: a section written at another heading level', () => {
  expect(check(rule, variant(['## Comms', '### Comms']))).toEqual([
    expect.objectContaining({ line: 25, message: '"Comms" is a level-3 heading; sections are level 2', fix: 'write it as "## Comms"' }),
  ]);
});

test('non-compliant: sections out of order', () => {
  const swapped = variant(['## Mitigate', '## Verify (swap)'], ['## Verify\n', '## Mitigate\n'], ['## Verify (swap)', '## Verify']);
  expect(check(rule, swapped)).toEqual([expect.objectContaining({ line: 19, message: 'section "Verify" comes before "Mitigate"' })]);
});

test.each([
  ['nothing', ''],
  ['a placeholder', '<what to check first>\nTODO\n'],
  ['an HTML comment', '<!--\nwrite the triage steps\n-->\n'],
  ['a sub-heading', '### Notes\n'],
  ['an empty code block', '```\n```\n'],
])('non-compliant: a section holding only %s has no content', (_what, content) => {
  expect(check(rule, variant([TRIAGE, content]))).toEqual([expect.objectContaining({ line: 15, message: 'section "Triage" has no content' })]);
});

test('non-compliant: a required heading inside a code block or an HTML comment is not the section', () => {
  const fenced = variant(['## Verify\n- [ ] Queue depth under 50 for 10 minutes.\n', '````\n## Verify\n````\n']);
  expect(check(rule, fenced)).toEqual([expect.objectContaining({ message: 'the runbook has no Verify section' })]);
  const commented = variant(['## Verify\n- [ ] Queue depth under 50 for 10 minutes.\n', '<!--\n## Verify\n- [ ] Queue depth under 50\n-->\n']);
  expect(check(rule, commented)).toEqual([expect.objectContaining({ message: 'the runbook has no Verify section' })]);
});

describeFixtures('sections', rule);

test('non-compliant: a section written twice, at the second, naming the first', () => {
  expect(check(rule, variant(['## Comms', '## Mitigate (continued)\nThen restart.\n\n## Comms']))).toEqual([
    expect.objectContaining({ line: 25, message: 'section "Mitigate (continued)" is a second Mitigate section (the first is "Mitigate" on line 19)',
      fix: expect.stringContaining('merge it into the Mitigate section on line 19') }),
  ]);
  // Two names for one section count as two too.
  expect(check(rule, variant(['## Comms\nPost in', '## Comms\nPost in #ops.\n\n## Communicate\nPost in']))).toEqual([
    expect.objectContaining({ line: 28, message: expect.stringMatching(/^section "Communicate" is a second Comms section/) }),
  ]);
});
