import { vagueActionItemRule as rule, vagueness } from '../../../lib/postmortem/rules/vague-action-item';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: specific action items, and investigations that say what comes out', () => {
  expect(check(rule, BASE)).toEqual([]);
  for (const ok of [
    'Add an alarm on queue age > 5 min (SEV2) with the runbook linked',
    'Investigate why the provider slowed down and write the decision (retry or fail over) in the ticket',
    'Review the scaling policies so that every consumer scales on queue depth',
    'Look into the slow query → add the missing index',
  ]) expect([ok, vagueness(ok)]).toEqual([ok, undefined]);
});

test.each([
  ['Be careful when deploying on Fridays', '"Be careful"'],
  ['Everyone should pay more attention to the dashboard', '"pay more attention"'],
  ['Remember to check the queue after deploys', '"Remember to"'],
  ['Investigate the database', '"Investigate" with no outcome'],
  ['Look into the scaling policy', '"Look into" with no outcome'],
  ['Improve monitoring', '"Improve" with no outcome'],
])('non-compliant: %s', (action, why) => {
  const findings = check(rule, variant(['Scale the consumer on queue depth (target 100 messages per task)', action]));
  expect(findings).toEqual([expect.objectContaining({ level: 'warning', line: 43, message: expect.stringContaining(why), fix: expect.stringMatching(/^make it SMART/) })]);
});

describeFixtures('vague-action-item', rule);
