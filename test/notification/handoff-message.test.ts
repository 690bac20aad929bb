// The handoff message: who hands over to whom, the unresolved incidents (most severe first, whole
// lines within Block Kit's limits), further sections after them; nothing from an alarm name can
// mention anyone.
import { HandoffIncident, renderHandoffMessage } from '../../lib/notification/handoff-message';
import { blockKitProblems } from '../../lib/notification/slack-message';

const base = { rotation: 'primary_oncall', service: 'payments', from: '<@U0ALICE>', to: '<@U0BOB>', at: Date.UTC(2026, 2, 30, 8), until: Date.UTC(2026, 3, 6, 8) };
const incident = (i: number, extra: Partial<HandoffIncident> = {}): HandoffIncident => ({ alarmName: `Payments/Alarm${i}`, severity: 'SEV2', state: 'ALARM', stateAt: Date.UTC(2026, 2, 29, i), channel: 'C0INCIDENTS', ...extra });

test('who hands over to whom, until when; no incidents said as such', () => {
  const m = renderHandoffMessage({ ...base, unresolved: [] });
  expect(m.text).toBe('On-call handoff (primary_oncall, payments): <@U0ALICE> → <@U0BOB>; 0 unresolved incidents');
  expect(m.blocks[0].text!.text).toBe('🔁 On-call handoff · primary_oncall · payments');
  expect(m.blocks[1].text!.text).toMatch(/^<@U0ALICE> hands over to <@U0BOB>, on call from <!date\^1774857600\^.*> until <!date\^1775462400\^/);
  expect(m.blocks[2].text!.text).toBe(':white_check_mark: *No unresolved incidents.*');
  expect(blockKitProblems(m, ['<@U0ALICE>', '<@U0BOB>'])).toEqual([]);
});

test('the unresolved incidents as given (most severe first is the function\'s order), who acknowledged, where the thread is; a member without a mention is named so', () => {
  const m = renderHandoffMessage({ ...base, from: '', unresolved: [incident(1, { severity: 'SEV1', acknowledgedBy: 'U0CAROL' }), incident(2, { escalatedLevel: 2 }), incident(3, { state: 'INSUFFICIENT_DATA' })] });
  const text = m.blocks[2].text!.text;
  expect(text.split('\n')).toEqual([
    '*3 unresolved incidents* to hand over:',
    expect.stringMatching(/^🔴 \*\[SEV1\] Payments\/Alarm1\*: in ALARM since <!date\^.*>, acknowledged by <@U0CAROL>; thread in <#C0INCIDENTS>$/),
    expect.stringMatching(/^🔴 \*\[SEV2\] Payments\/Alarm2\*: in ALARM since .*, escalated to level 2, not acknowledged; thread in <#C0INCIDENTS>$/),
    expect.stringMatching(/INSUFFICIENT_DATA since .*, not acknowledged/),
  ]);
  expect(m.blocks[1].text!.text).toMatch(/^someone with no Slack mention hands over to <@U0BOB>/);
});

test('many incidents: whole lines within the section\'s 3,000 characters, the rest counted; extra sections follow; within Block Kit', () => {
  const many = Array.from({ length: 40 }, (_, i) => incident(i, { alarmName: `Payments/${'x'.repeat(150)}${i}` }));
  const extra = [{ type: 'section', text: { type: 'mrkdwn', text: '*This shift:* 3 pages' } }];
  const m = renderHandoffMessage({ ...base, unresolved: many }, extra);
  const text = m.blocks[2].text!.text;
  expect(text.length).toBeLessThanOrEqual(3000);
  expect(text).toMatch(/…and \d+ more \(the incident table has them all\)$/);
  expect(m.blocks[3]).toEqual(extra[0]);
  expect(blockKitProblems(m, ['<@U0ALICE>', '<@U0BOB>', '<#C0INCIDENTS>'])).toEqual([]);
});

test('an alarm name cannot mention anyone or form a link', () => {
  const m = renderHandoffMessage({ ...base, unresolved: [incident(1, { alarmName: '<!channel> <https://evil.example|x> @here' })] });
  const text = JSON.stringify(m.blocks);
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<https://evil');
});
