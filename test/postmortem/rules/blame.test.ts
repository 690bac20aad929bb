import { blameRule as rule, blamedSubject } from '../../../lib/postmortem/rules/blame';
import { BASE, check, describeFixtures, variant } from '../helpers';

test('compliant: the system and the process as the subject', () => {
  expect(check(rule, BASE)).toEqual([]);
  for (const ok of [
    'There was no guard preventing deletion of a production table.',
    'The deploy pipeline ran the migration without a rollback script.',
    'Terraform removed the security group because the state file was stale.',
    'Nothing in the scaling policy looked at queue depth.',
    'The runbook did not say the provider must be checked first.',
  ]) expect([ok, blamedSubject(ok)]).toEqual([ok, undefined]);
});

test.each([
  ['A deleted it.', 'A deleted'],
  ['Alice forgot to switch the scaling policy.', 'Alice forgot'],
  ['It broke because Bob accidentally dropped the index.', 'Bob accidentally dropped'],
  ['The on-call engineer ran the wrong script.', 'The on-call engineer ran'],
  ['<@U0123ABCD> pushed the config without review.', '<@U0123ABCD> pushed'],
  ['Human error during the failover.', 'Human error'],
])('non-compliant: %s', (sentence, subject) => {
  const findings = check(rule, variant(["The consumer's autoscaling reacted to CPU, which stayed low while it waited on the payment provider's slow API.", sentence]));
  expect(findings).toEqual([expect.objectContaining({ level: 'warning', line: 28, message: `the root cause makes a person its subject: "${subject}"` })]);
});

test('non-compliant: only the root cause is judged (the timeline names who did what)', () => {
  expect(check(rule, variant(['- 14:05 Acknowledged by the on-call engineer', '- 14:05 Alice forgot to acknowledge; Bob acknowledged']))).toEqual([]);
});

describeFixtures('blame', rule);
