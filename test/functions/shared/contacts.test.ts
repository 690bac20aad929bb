// How the functions reach a contact at a moment: a fixed contact as it is, a rotation's member on
// call then; who is told when an alarm of a severity opens; the messages' mention resolver.
import { compileRotation } from '../../../lib/core/rotation';
import { ContactPlan, copyChannels, mentionsAt, openingContacts, reach } from '../../../lib/functions/shared/contacts';

const rotation = compileRotation({ members: [{ slackMention: '<@U0ALICE>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alice' }, { slackMention: '<@U0BOB>' }],
  everyDays: 7, handoff: 'Mon 10:00', timeZone: 'Europe/Berlin', start: '2026-03-16' });
const plan: ContactPlan = {
  severities: { SEV1: { page: 'primary', notify: ['manager', 'primary'], channels: ['#exec'] }, SEV3: { notify: ['manager'] } },
  contacts: { primary: { rotation }, manager: { mention: '<@U0MANAGER>', topicArn: 'arn:aws:sns:eu-west-1:123456789012:manager' } },
};
const ALICE_WEEK = Date.UTC(2026, 2, 17);
const BOB_WEEK = Date.UTC(2026, 2, 24);

test('a rotation is reached through whoever is on call at the moment; a fixed contact as it is; an unknown name not at all', () => {
  expect(reach(plan, 'primary', ALICE_WEEK)).toEqual({ name: 'primary', mention: '<@U0ALICE>', topicArn: 'arn:aws:sns:eu-west-1:123456789012:alice' });
  expect(reach(plan, 'primary', BOB_WEEK)).toEqual({ name: 'primary', mention: '<@U0BOB>', topicArn: undefined });
  expect(reach(plan, 'manager', BOB_WEEK)).toEqual({ name: 'manager', mention: '<@U0MANAGER>', topicArn: 'arn:aws:sns:eu-west-1:123456789012:manager' });
  expect(reach(plan, 'constructor', BOB_WEEK)).toBeUndefined();
  expect(reach(undefined, 'primary', BOB_WEEK)).toBeUndefined();
});

test('an opening tells the page contact, then the notify contacts, each once; other severities nobody', () => {
  expect(openingContacts(plan, 'SEV1', BOB_WEEK).map((c) => c.mention)).toEqual(['<@U0BOB>', '<@U0MANAGER>']);
  expect(openingContacts(plan, 'SEV3', BOB_WEEK).map((c) => c.name)).toEqual(['manager']);
  expect(openingContacts(plan, 'SEV2', BOB_WEEK)).toEqual([]);
  expect(copyChannels(plan, 'SEV1')).toEqual(['#exec']);
  expect(copyChannels(plan, '__proto__')).toEqual([]);
});

test('the messages\' resolver: the mentions of whoever was told when the alarm fired, at its own time (else now)', () => {
  const resolve = mentionsAt(plan, () => ALICE_WEEK);
  expect(resolve('SEV1' as never, BOB_WEEK)).toEqual([{ severity: 'SEV1', mention: '<@U0BOB>' }, { severity: 'SEV1', mention: '<@U0MANAGER>' }]);
  expect(resolve('SEV1' as never, undefined).map((m) => m.mention)).toEqual(['<@U0ALICE>', '<@U0MANAGER>']);
  expect(resolve(undefined, BOB_WEEK)).toEqual([]);
});
