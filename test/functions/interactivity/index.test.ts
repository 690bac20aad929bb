// The interactivity function's posture under a flood of requests that are not Slack's: each is
// refused before any AWS call (no table, no Scheduler, no Slack; the signing secret read once per
// container, and not at all for a request without Slack's headers or outside the replay window),
// and the log says so at a bounded rate. The acknowledgement itself is tested end to end with the
// other functions (test/functions/escalation/index.test.ts).
import { createInteractivityHandler, LOGGED_REFUSALS_PER_MINUTE } from '../../../lib/functions/interactivity/index';
import { LogEntry } from '../../../lib/functions/notifier/app';
import { encodeConfig } from '../../../lib/functions/shared/config';
import { IncidentStore } from '../../../lib/functions/shared/incident-store';
import { slackSignature } from '../../../lib/functions/interactivity/slack-signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = Date.UTC(2026, 10, 23, 2, 20, 0);
const env = encodeConfig({ botTokenSecretArn: 'arn:bot', signingSecretArn: 'arn:signing', channel: 'C0ALERTS', incidentTable: 'incidents' });

function container() {
  const calls: string[] = [];
  const logs: LogEntry[] = [];
  const untouchable = new Proxy({}, { get: (_t, name) => () => (calls.push(`store.${String(name)}`), Promise.reject(new Error('no store call expected'))) }) as IncidentStore;
  const handler = createInteractivityHandler({
    env,
    secrets: { getSecretString: async (arn) => (calls.push(`secret ${arn}`), JSON.stringify({ signingSecret: SECRET })) },
    store: untouchable,
    fetch: async (url) => (calls.push(`fetch ${url}`), Promise.reject(new Error('no Slack call expected'))),
    scheduler: { schedule: async () => (calls.push('schedule'), 'created'), cancel: async () => (calls.push('cancel'), 'deleted') },
    log: (e) => logs.push(e),
    now: () => NOW,
  });
  return { handler, calls, logs };
}

const body = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0MALLORY' }, actions: [{ action_id: 'acknowledge', value: '{"i":"x","a":"y"}' }] }) }).toString();
const request = (headers: Record<string, string>, method = 'POST') => ({ headers, body, requestContext: { http: { method, sourceIp: '203.0.113.9' } } });
const ts = String(Math.floor(NOW / 1000));

test.each([
  ['unsigned', {}],
  ['replayed (ten minutes old)', { 'x-slack-request-timestamp': String(Math.floor(NOW / 1000) - 600), 'x-slack-signature': slackSignature(SECRET, Math.floor(NOW / 1000) - 600, body) }],
  ['a malformed signature', { 'x-slack-request-timestamp': ts, 'x-slack-signature': 'v0=not-hex' }],
])('%s: refused with 401 before anything, even the signing secret, is read', async (_what, headers) => {
  const c = container();
  expect(await c.handler(request(headers))).toMatchObject({ statusCode: 401, body: 'unauthorized' });
  expect(c.calls).toEqual([]);
});

test('forged (well-formed, fresh, signed with another secret): refused with 401; the secret is read once per container, nothing else is called', async () => {
  const c = container();
  for (let i = 0; i < 3; i++) {
    const forged = request({ 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature('another-secret-of-32-characters0', Number(ts), body) });
    expect(await c.handler(forged)).toMatchObject({ statusCode: 401 });
  }
  expect(c.calls).toEqual(['secret arn:signing']);
});

test('not a POST: 405, method not allowed, Allow: POST', async () => {
  const c = container();
  expect(await c.handler(request({}, 'GET'))).toEqual({ statusCode: 405, headers: { 'content-type': 'text/plain; charset=utf-8', 'allow': 'POST' }, body: 'method not allowed' });
});

test(`a flood: ${LOGGED_REFUSALS_PER_MINUTE} refusals a minute are logged one by one, the rest counted in one line when the minute is over`, async () => {
  const c = container();
  const clock = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  try {
    for (let i = 0; i < 1000; i++) await c.handler(request({}));
    expect(c.logs.filter((l) => l.msg === 'interactivity request refused')).toHaveLength(LOGGED_REFUSALS_PER_MINUTE);
    clock.mockReturnValue(NOW + 60_000);
    await c.handler(request({}));
    expect(c.logs.filter((l) => l.msg !== 'interactivity request refused')).toEqual([
      { level: 'warn', msg: `interactivity requests refused past ${LOGGED_REFUSALS_PER_MINUTE} a minute, not logged one by one`, count: 1000 - LOGGED_REFUSALS_PER_MINUTE },
    ]);
    expect(c.logs.filter((l) => l.msg === 'interactivity request refused')).toHaveLength(LOGGED_REFUSALS_PER_MINUTE + 1);
  } finally {
    clock.mockRestore();
  }
});
