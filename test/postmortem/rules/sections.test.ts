import { sectionsRule as rule } from '../../../lib/postmortem/rules/sections';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: every section of the template, written, with a timeline of times', () => {
  expect(check(rule, BASE)).toEqual([]);
});

test('compliant: numbered headings, other names for a section, ISO times', () => {
  const text = variant(['## Summary', '## 1. Overview'], ['## Root Cause', '## Contributing factors'], ['- 14:02 Alarm', '- 2026-11-16T14:02Z Alarm']);
  expect(check(rule, text)).toEqual([]);
});

test('non-compliant: a missing section says where it goes', () => {
  const text = variant(['## Detection\nThe backlog alarm fired 6 minutes after the queue started growing: automatic, within target.\n\n', '']);
  expect(check(rule, text)).toEqual([expect.objectContaining({
    line: 27, message: 'the postmortem has no Detection section', fix: expect.stringMatching(/^add a "## Detection" section after "## Root Cause" with how it was noticed/),
  })]);
});

test('non-compliant: a section with only the template\'s prompts or placeholders', () => {
  const text = variant(['Payment webhooks piled up for 41 minutes on 16 November; 3,200 charges were confirmed late.\nNo charge was lost or doubled. The consumer was scaled out and the backlog drained.', 'What, for how long, who was impacted.\n<!-- three lines -->'],
    ['- User impact: 3,200 checkouts waited up to 38 minutes for their confirmation email.', '- User impact: <in numbers. measured, not guessed>']);
  expect(check(rule, text)).toEqual([
    expect.objectContaining({ line: 11, message: 'section "Summary" has no content' }),
    // Impact has content (its duration); the line left as the template is named on its own.
    expect.objectContaining({ line: 17, column: 1, message: 'section "Impact" still holds the template\'s "- User impact: <in numbers. measured, not guessed>"' }),
  ]);
});

test('non-compliant: a timeline without times', () => {
  const text = variant(['- 14:02 Alarm', '- Alarm'], ['- 14:05 Ack', '- Ack'], ['- 14:12 Consumer', '- Consumer'], ['- 14:43 Queue', '- Queue']);
  expect(check(rule, text)).toEqual([expect.objectContaining({ line: 20, message: 'the timeline "Timeline" gives no times' })]);
});

test('non-compliant: a section written as a level-3 heading', () => {
  const text = variant(['## Impact', '### Impact']);
  expect(check(rule, text)).toEqual([expect.objectContaining({ line: 15, message: '"Impact" is a level-3 heading; sections are level 2' })]);
});

describeFixtures('sections', rule);
