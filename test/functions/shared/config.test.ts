// The one config between the SlackNotifier and its functions: what the construct encodes is what
// a function decodes, for any config (a property), and a function reads only its sections.
import * as fc from 'fast-check';
import { SEVERITIES } from '../../../lib/core/severity';
import {
  APP_FIELDS, FunctionConfig, MESSAGE_FIELDS, ROUTE_NAMES, WEBHOOK_FIELDS, decodeConfig, encodeConfig, encodePlan, escalationLinesOf, mentionsOf, variableOf,
} from '../../../lib/functions/shared/config';

const ALL = [...WEBHOOK_FIELDS, ...MESSAGE_FIELDS, ...APP_FIELDS];
/** A value as the construct writes one: non-empty, no surrounding white space (ARNs, channel IDs, names, tokens). */
const text = fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s !== '');
const positive = fc.integer({ min: 1, max: 100_000 });
const mention = fc.oneof(fc.constant('<!here>'), fc.constant('<!channel>'),
  fc.stringMatching(/^[A-Z0-9]{9}$/).map((id) => `<@U${id}>`), fc.stringMatching(/^[A-Z0-9]{9}$/).map((id) => `<!subteam^S${id}>`));
const bySeverity = <T>(value: fc.Arbitrary<T>) => fc.dictionary(fc.constantFrom(...SEVERITIES), value, { minKeys: 1 });
const byRoute = fc.dictionary(fc.constantFrom(...ROUTE_NAMES), text, { minKeys: 1 });
const plan = fc.record({
  severities: fc.dictionary(fc.constantFrom(...SEVERITIES), fc.record({ afterMinutes: fc.nat(120), levels: fc.array(text, { maxLength: 3 }) })),
});
const member = fc.tuple(fc.oneof(mention, fc.constant('')), fc.oneof(text, fc.constant('')));
const contactPlan = fc.record({
  severities: fc.dictionary(fc.constantFrom(...SEVERITIES), fc.record({ page: text, notify: fc.array(text, { maxLength: 3 }), channels: fc.array(text, { maxLength: 2 }) }, { requiredKeys: [] })),
  contacts: fc.dictionary(text, fc.oneof(
    fc.record({ mention: mention, topicArn: text }, { requiredKeys: [] }),
    fc.record({ rotation: fc.record({ members: fc.array(member, { minLength: 1, maxLength: 4 }), firstDay: fc.nat(30_000), minutes: fc.nat(1439), days: fc.integer({ min: 1, max: 30 }),
      zone: fc.constantFrom('Europe/Berlin', 'UTC'), overrides: fc.array(fc.tuple(fc.nat(), fc.nat(), mention, fc.constant('')), { maxLength: 2 }) }) }),
  )),
});

const postmortem = fc.record({
  requiredFor: fc.subarray([...SEVERITIES]), dueBusinessDays: fc.integer({ min: 1, max: 5 }), limitBusinessDays: fc.integer({ min: 5, max: 20 }),
  timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Tokyo'), longerThanMinutes: positive,
}, { requiredKeys: ['requiredFor', 'dueBusinessDays', 'limitBusinessDays', 'timeZone'] });

const config: fc.Arbitrary<FunctionConfig> = fc.record({
  webhookSecretArn: text, severityWebhookSecretArns: bySeverity(text),
  mentions: bySeverity(fc.array(mention, { minLength: 1, maxLength: 3 })), escalationLines: bySeverity(text), service: text, contactPlan,
  botTokenSecretArn: text, channel: text, severityChannels: bySeverity(text), routeChannels: byRoute, routeTopics: byRoute,
  incidentTable: text, postmortem: postmortem, reopenWindowMinutes: positive, retentionDays: positive, leaseSeconds: positive, apiUrl: text,
  escalationPlan: plan, escalationFunctionArn: text, metricsNamespace: text, scheduleGroup: text, schedulerRoleArn: text, signingSecretArn: text,
}, { requiredKeys: [] });

test('decode(encode(config)) is the config, for any config', () => {
  fc.assert(fc.property(config, (c) => {
    expect(decodeConfig(encodeConfig(c), ALL)).toEqual(c);
  }), { numRuns: 300 });
});

test('every variable is a string (Lambda takes nothing else), and an empty config sets none', () => {
  fc.assert(fc.property(config, (c) => {
    for (const v of Object.values(encodeConfig(c))) expect(typeof v).toBe('string');
  }), { numRuns: 100 });
  expect(encodeConfig({})).toEqual({});
});

test('the wire format: the variable names the functions and the docs name', () => {
  expect(encodeConfig({
    webhookSecretArn: 'arn:w', severityWebhookSecretArns: { SEV1: 'arn:w1' }, mentions: { SEV1: ['<!subteam^S0INCIDENT>', '<@U0LEAD>'] },
    botTokenSecretArn: 'arn:b', channel: 'C0ALERTS', routeChannels: { TICKET: '#tickets' }, routeTopics: { TICKET: 'arn:t' }, postmortem: { requiredFor: [SEVERITIES[0]], dueBusinessDays: 3, limitBusinessDays: 5, timeZone: 'UTC' },
    escalationPlan: { severities: { SEV1: { afterMinutes: 5, levels: ['lead'] } } }, service: 'payments',
    contactPlan: { severities: { SEV1: { page: 'lead' } }, contacts: { lead: { mention: '<@U0LEAD>' } } },
  })).toEqual({
    SLACK_WEBHOOK_SECRET_ARN: 'arn:w', SLACK_WEBHOOK_SECRET_ARN_SEV1: 'arn:w1', SLACK_MENTION_SEV1: '<!subteam^S0INCIDENT> <@U0LEAD>',
    SLACK_BOT_TOKEN_SECRET_ARN: 'arn:b', SLACK_CHANNEL: 'C0ALERTS', SLACK_ROUTE_CHANNEL_TICKET: '#tickets', SLACK_ROUTE_TOPIC_TICKET: 'arn:t',
    POSTMORTEM_POLICY: '{"requiredFor":["SEV1"],"dueBusinessDays":3,"limitBusinessDays":5,"timeZone":"UTC"}', ESCALATION_PLAN: '{"severities":{"SEV1":{"afterMinutes":5,"levels":["lead"]}}}', SERVICE_NAME: 'payments',
    CONTACT_PLAN: '{"severities":{"SEV1":{"page":"lead"}},"contacts":{"lead":{"mention":"<@U0LEAD>"}}}',
  });
  expect(variableOf('incidentTable', APP_FIELDS)).toBe('INCIDENT_TABLE_NAME');
  expect(variableOf('webhookSecretArn', WEBHOOK_FIELDS)).toBe('SLACK_WEBHOOK_SECRET_ARN');
});

test('a function decodes only its sections: the webhook notifier reads nothing of the app mode', () => {
  const env = encodeConfig({ webhookSecretArn: 'arn:w', mentions: { SEV2: ['<!here>'] }, channel: 'C0ALERTS', incidentTable: 't' });
  expect(decodeConfig(env, [...WEBHOOK_FIELDS, ...MESSAGE_FIELDS])).toEqual({ webhookSecretArn: 'arn:w', mentions: { SEV2: ['<!here>'] } });
  expect(decodeConfig(env, APP_FIELDS)).toEqual({ channel: 'C0ALERTS', incidentTable: 't' });
});

test('what a hand-edited environment can hold reads safely: empty is unset, a bad number is unset, a bad plan is flagged', () => {
  expect(decodeConfig({ SLACK_CHANNEL: '', POSTMORTEM_POLICY: '{"requiredFor":"SEV1"}', INCIDENT_RETENTION_DAYS: '-3', INCIDENT_LEASE_SECONDS: '0' }, APP_FIELDS)).toEqual({});
  expect(decodeConfig({ ESCALATION_PLAN: '{not json' }, APP_FIELDS)).toEqual({ unreadablePlan: true });
  expect(decodeConfig({ ESCALATION_PLAN: '{"severities":1}' }, APP_FIELDS)).toEqual({ unreadablePlan: true });
  expect(decodeConfig({ CONTACT_PLAN: '{"severities":{}}' }, MESSAGE_FIELDS)).toEqual({ unreadablePlan: true });
  // A malformed mention never reaches a message (the construct refuses one at synth).
  const c = decodeConfig({ SLACK_MENTION_SEV1: '<!subteam^S0INCIDENT>  not-a-mention', SLACK_ESCALATION_SEV2: 'pages primary' }, MESSAGE_FIELDS);
  expect(mentionsOf(c)).toEqual([{ severity: 'SEV1', mention: '<!subteam^S0INCIDENT>' }]);
  expect(escalationLinesOf(c)).toEqual([{ severity: 'SEV2', text: 'pages primary' }]);
});

test('the plan keeps only what the functions read', () => {
  const extra = { severities: {}, contacts: {}, note: 'x' } as unknown as Parameters<typeof encodePlan>[0];
  expect(encodePlan(extra)).toBe('{"severities":{}}');
});
