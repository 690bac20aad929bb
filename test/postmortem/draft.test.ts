import { PostmortemFacts, draftFileName, renderPostmortemDraft } from '../../lib/postmortem/draft';
import { lintPostmortem, postmortemRuleSettings } from '../../lib/postmortem/lint';
import { parsePostmortem } from '../../lib/postmortem/parser';
import { NOW, ROOT } from './helpers';

const FIRED = Date.UTC(2026, 10, 20, 23, 40, 0);
const MIN = 60_000;
const FACTS: PostmortemFacts = {
  incidentId: '4f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f', alarmName: 'Payments/WebhookBacklog', severity: 'SEV1', title: 'Payment webhook backlog',
  runbook: 'runbooks/payment-webhook-backlog.md', firstMove: 'Scale out the consumer | then check `queue`', firedAt: FIRED, acknowledgedAt: FIRED + 4 * MIN, acknowledgedBy: 'U0DANA',
  escalatedLevel: 2, escalatedAt: FIRED + 10 * MIN, escalatedTo: ['secondary_oncall', 'team_lead'], resolvedAt: FIRED + 95 * MIN, mttaSeconds: 240, mttrSeconds: 5700, reopened: 1,
  dueAt: Date.UTC(2026, 10, 24, 1, 15),
};

test('the timeline in order, the date written where it changes (past midnight), MTTA, MTTR, the reopen', () => {
  const text = renderPostmortemDraft(FACTS, { author: 'Dana Whitfield', timeZone: 'UTC' }, NOW.getTime());
  expect(text).toContain([
    '- 2026-11-20 23:40 Alarm `Payments/WebhookBacklog` fired (automatic detection); first move: Scale out the consumer \\| then check `queue`',
    '- 23:44 Acknowledged by Slack user `U0DANA` (MTTA 4 min)',
    '- 23:50 Escalated to secondary_oncall, then team_lead (level 2): not acknowledged in time',
    '- 2026-11-21 01:15 Resolved: the alarm went back to OK (MTTR 1 h 35 min); it reopened 1 time before',
  ].join('\n'));
  expect(text).toContain('- Duration: 23:40 – 01:15 UTC (1 h 35 min)');
});

test('what people must write is a placeholder: the draft passes the front matter rule and fails on the rest until written', () => {
  const text = renderPostmortemDraft(FACTS, { author: 'Dana Whitfield', timeZone: 'Europe/Berlin' }, NOW.getTime());
  const findings = lintPostmortem(parsePostmortem(text, `${ROOT}/postmortems/x.md`), postmortemRuleSettings({ now: NOW, root: ROOT }));
  expect(findings.filter((f) => f.ruleId === 'Postmortem-FrontMatter')).toEqual([]);
  expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['Postmortem-Sections', 'Postmortem-ActionItem']));
  expect(findings.every((f) => f.level === 'error')).toBe(true);
});

test('the file name: the incident\'s date in the time zone and a slug of the title', () => {
  expect(draftFileName(FACTS, 'UTC', NOW.getTime())).toBe('2026-11-20-payment-webhook-backlog.md');
  expect(draftFileName(FACTS, 'Europe/Berlin', NOW.getTime())).toBe('2026-11-21-payment-webhook-backlog.md');
  expect(draftFileName({ ...FACTS, title: 'Checkout: 5xx on /pay — Ärger!' }, 'UTC', NOW.getTime())).toBe('2026-11-20-checkout-5xx-on-pay-arger.md');
  expect(draftFileName({ ...FACTS, title: '🔥' }, 'UTC', NOW.getTime())).toBe('2026-11-20-incident.md');
});

test('front matter values YAML reads back as written; no severity is a placeholder', () => {
  const text = renderPostmortemDraft({ ...FACTS, severity: undefined, incidentId: '12345', runbook: 'https://wiki.acme.dev/run: book' }, { author: 'yes', timeZone: 'UTC' }, NOW.getTime());
  const doc = parsePostmortem(text, 'x.md');
  expect(doc.frontMatterErrors).toEqual([]);
  expect(doc.frontMatter).toMatchObject({ incident: '12345', author: 'yes', runbook: 'https://wiki.acme.dev/run: book', severity: '<SEV1..SEV4>' });
});
