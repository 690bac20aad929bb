import { blockKitProblems } from '../../lib/notification/slack-message';
import { POSTMORTEM_ACTIONS, parsePostmortemButtonValue, postmortemButtonValue, renderPostmortemAsk, renderPostmortemNote, renderPostmortemReminder } from '../../lib/notification/postmortem-message';

const VIEW = { incidentId: 'inc-1', alarmName: 'Payments/WebhookBacklog', severity: 'SEV2', dueAt: Date.UTC(2026, 10, 24, 14, 43), limitAt: Date.UTC(2026, 10, 27, 14, 43), rule: '2 business days after the resolution, Europe/Berlin' };
const buttons = (m: { blocks: Array<{ elements?: Array<{ action_id?: string; value?: string }> }> }) => m.blocks.flatMap((b) => b.elements ?? []).map((e) => e.action_id);

test('the ask: when it is due and the limit, as Slack dates; Start, Link and Not needed, each naming the incident', () => {
  const m = renderPostmortemAsk(VIEW);
  expect(m.text).toBe('Postmortem due by 2026-11-24 14:43:00 UTC: Payments/WebhookBacklog');
  expect(JSON.stringify(m.blocks)).toContain('<!date^1795531380^');
  expect(buttons(m)).toEqual([POSTMORTEM_ACTIONS.start, POSTMORTEM_ACTIONS.link, POSTMORTEM_ACTIONS.notNeeded]);
  expect(blockKitProblems(m)).toEqual([]);
});

test('reminders: before (still with Start), at the due time and at the limit (Link and Not needed)', () => {
  expect(renderPostmortemReminder(VIEW, 'before').text).toBe('Postmortem due 2026-11-24 14:43:00 UTC: Payments/WebhookBacklog');
  expect(renderPostmortemReminder(VIEW, 'due').text).toBe('Postmortem overdue: it was due 2026-11-24 14:43:00 UTC: Payments/WebhookBacklog');
  expect(renderPostmortemReminder(VIEW, 'limit').text).toBe('Postmortem past its limit 2026-11-27 14:43:00 UTC: Payments/WebhookBacklog');
  expect(buttons(renderPostmortemReminder(VIEW, 'before'))).toHaveLength(3);
  expect(buttons(renderPostmortemReminder(VIEW, 'due'))).toEqual([POSTMORTEM_ACTIONS.link, POSTMORTEM_ACTIONS.notNeeded]);
});

test('text from people is escaped and cannot mention anyone; only the recorder is mentioned', () => {
  const note = renderPostmortemNote('not-needed', 'U0LEE', 'dup of <!channel> & <@U0BOSS> @here');
  expect(blockKitProblems(note, ['<@U0LEE>'])).toEqual([]);
  expect(JSON.stringify(note)).not.toMatch(/<!channel>|<@U0BOSS>/);
  expect(JSON.stringify(renderPostmortemNote('linked', 'not-a-user', 'https://github.com/acme/ops/pull/1'))).toContain('by someone');
  const hostile = renderPostmortemAsk({ ...VIEW, alarmName: '<!here> *x* & <https://evil|click>' });
  expect(blockKitProblems(hostile)).toEqual([]);
});

test('the button value names the incident, and nothing else reads as one', () => {
  expect(parsePostmortemButtonValue(postmortemButtonValue('inc-1'))).toBe('inc-1');
  for (const bad of [undefined, '', 'inc-1', '{"p":""}', '{"p":1}', `{"p":"${'x'.repeat(150)}"}`, '{"i":"inc-1","a":"arn"}']) expect(parsePostmortemButtonValue(bad)).toBeUndefined();
});
