// The Web API client against a stand-in on 127.0.0.1 that answers as Slack does: ok:false is a
// failure with the fix, 429 waits as Retry-After says, transient errors are retried inside the
// deadline, permanent ones fail at once.
import { DeliveryEvent } from '../../../lib/functions/shared/delivery';
import { SLACK_ERROR_FIXES, SlackApiError, SlackWebApi, botTokenFromSecret, slackApiUrl } from '../../../lib/functions/shared/slack-api';
import { SlackWebApiStandIn, startSlackWebApi } from '../../support/slack-web-api-stand-in';

const FAST = { baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 400, safetyMarginMs: 100, maxAttempts: 4 };
const TOKEN = 'xoxb-test-token';

let slack: SlackWebApiStandIn;
beforeAll(async () => {
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0OUTSIDE', name: 'outside', member: false }, { id: 'C0OLD', name: 'old', archived: true }] });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

function client(token = TOKEN, retries: DeliveryEvent[] = []) {
  return new SlackWebApi({ fetch: (url, init) => fetch(url, init), token: async () => token, delivery: FAST, apiUrl: slack.url, onRetry: (_m, e) => retries.push(e) });
}
const soon = (ms = 3000) => Date.now() + ms;

test('chat.postMessage: JSON with a bearer token and charset; answers the channel ID and ts; a reply carries thread_ts', async () => {
  const api = client();
  const parent = await api.postMessage('#alerts', { text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] }, soon());
  expect(parent).toMatchObject({ channel: 'C0ALERTS', ts: expect.stringMatching(/^\d+\.\d{6}$/), attempts: 1 });
  const reply = await api.postMessage(parent.channel, { text: 'again' }, soon(), parent.ts);
  const [first, second] = slack.calls;
  expect(first.authorization).toBe(`Bearer ${TOKEN}`);
  expect(first.contentType).toBe('application/json; charset=utf-8');
  expect(first.answer.warning).toBeUndefined(); // Slack warns when no charset is sent
  expect(first.body).toMatchObject({ channel: '#alerts', text: 'hello', unfurl_links: false, unfurl_media: false });
  expect(second.body.thread_ts).toBe(parent.ts);
  expect(slack.replies('C0ALERTS', parent.ts).map((m) => m.ts)).toEqual([reply.ts]);
});

test('chat.update replaces the message in place', async () => {
  const api = client();
  const posted = await api.postMessage('C0ALERTS', { text: 'ALARM' }, soon());
  await api.update(posted.channel, posted.ts, { text: 'RESOLVED', blocks: [{ type: 'divider' }] }, soon());
  const [m] = slack.parents('C0ALERTS');
  expect(m.history.map((h) => h.text)).toEqual(['ALARM', 'RESOLVED']);
  expect(m.blocks).toEqual([{ type: 'divider' }]);
});

test.each([
  ['channel_not_found', () => client().postMessage('C0NOSUCH', { text: 'x' }, soon()), /channel ID is wrong/],
  ['not_in_channel', () => client().postMessage('C0OUTSIDE', { text: 'x' }, soon()), /invite the app to the channel/],
  ['is_archived', () => client().postMessage('C0OLD', { text: 'x' }, soon()), /unarchive/],
  ['invalid_auth', () => client('xoxb-wrong').postMessage('C0ALERTS', { text: 'x' }, soon()), /Bot User OAuth Token/],
  ['msg_too_long', () => client().postMessage('C0ALERTS', { text: 'x'.repeat(40_001) }, soon()), /retried as plain text/],
  ['invalid_blocks', () => client().postMessage('C0ALERTS', { text: 'x', blocks: [{ nope: 1 }] }, soon()), /retried as plain text/],
  ['message_not_found', () => client().update('C0ALERTS', '1.000001', { text: 'x' }, soon()), /parent message was deleted/],
])('HTTP 200 with ok:false %s is a permanent failure, not retried, with its fix', async (code, call, fix) => {
  const err = await call().catch((e) => e);
  expect(err).toBeInstanceOf(SlackApiError);
  expect(err).toMatchObject({ slackError: code, permanent: true, status: 200, attempts: 1 });
  expect(err.fix).toMatch(fix);
  expect(err.message).toContain(code);
  expect(slack.calls).toHaveLength(1);
});

test('token_revoked and missing_scope (with what is needed) name the fix', async () => {
  slack.script('chat.postMessage', [{ body: { ok: false, error: 'token_revoked' } }, { body: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read' } }]);
  const revoked = await client().postMessage('C0ALERTS', { text: 'x' }, soon()).catch((e) => e);
  expect(revoked.fix).toMatch(/reinstall the app/);
  const scope = await client().postMessage('C0ALERTS', { text: 'x' }, soon()).catch((e) => e);
  expect(scope.message).toContain('missing_scope (needed: chat:write)');
  expect(scope.fix).toMatch(/chat:write/);
});

test('429 with Retry-After: waits as told, then succeeds; ok:false ratelimited on a 200 too', async () => {
  const retries: DeliveryEvent[] = [];
  slack.script('chat.postMessage', [{ status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: '1' }, { body: { ok: false, error: 'ratelimited' } }]);
  const started = Date.now();
  const out = await client(TOKEN, retries).postMessage('C0ALERTS', { text: 'x' }, soon(5000));
  expect(out.attempts).toBe(3);
  expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  expect(retries.map((r) => [r.status, r.slackError])).toEqual([[429, 'ratelimited'], [200, 'ratelimited']]);
  expect(retries[0].waitMs).toBeGreaterThanOrEqual(1000);
});

test('a Retry-After past the deadline fails at once (Lambda retries later), keeping ratelimited and its fix', async () => {
  slack.script('chat.postMessage', [{ status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: '30' }]);
  const err = await client().postMessage('C0ALERTS', { text: 'x' }, soon(2000)).catch((e) => e);
  expect(err).toMatchObject({ permanent: false, slackError: 'ratelimited', attempts: 1 });
  expect(err.message).toMatch(/would pass the function timeout/);
  expect(err.fix).toMatch(/1 message\/s per channel/);
  expect(slack.calls).toHaveLength(1);
});

test('5xx, internal_error, a 200 that is not Slack JSON, a reset: retried; a stall is cut at the deadline', async () => {
  slack.script('chat.postMessage', [{ status: 503, body: 'Service Unavailable' }, { body: { ok: false, error: 'internal_error' } }, { body: '<html>proxy</html>' }, 'reset']);
  const patient = new SlackWebApi({ fetch: (url, init) => fetch(url, init), token: async () => TOKEN, delivery: { ...FAST, maxAttempts: 6 }, apiUrl: slack.url });
  const out = await patient.postMessage('C0ALERTS', { text: 'x' }, soon(5000));
  expect(out.attempts).toBe(5);
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
  slack.reset();
  slack.script('chat.postMessage', ['stall', 'stall', 'stall', 'stall']);
  const started = Date.now();
  const err = await client().postMessage('C0ALERTS', { text: 'x' }, soon(1200)).catch((e) => e);
  expect(err).toBeInstanceOf(SlackApiError);
  expect(err.permanent).toBe(false);
  expect(Date.now() - started).toBeLessThan(1200 + 3000);
});

test('out of attempts: fails with the last error, not permanent (the invocation fails and is retried)', async () => {
  slack.script('chat.postMessage', Array(10).fill({ status: 500, body: { ok: false, error: 'fatal_error' } }));
  const err = await client().postMessage('C0ALERTS', { text: 'x' }, soon(5000)).catch((e) => e);
  expect(err).toMatchObject({ permanent: false, attempts: FAST.maxAttempts, status: 500 });
  expect(slack.calls).toHaveLength(FAST.maxAttempts);
});

test('a redirect is not followed', async () => {
  slack.script('chat.postMessage', [{ status: 302, body: 'moved' }]);
  const err = await client().postMessage('C0ALERTS', { text: 'x' }, soon()).catch((e) => e);
  expect(err).toMatchObject({ permanent: true, status: 302 });
  expect(slack.calls).toHaveLength(1);
});

test('each failure the notifier must explain has a fix', () => {
  for (const code of ['channel_not_found', 'not_in_channel', 'invalid_auth', 'token_revoked', 'msg_too_long', 'invalid_blocks', 'ratelimited']) {
    expect(SLACK_ERROR_FIXES[code].length).toBeGreaterThan(30);
  }
});

test('the token comes from the secret as text or JSON; anything else is refused without echoing it', () => {
  expect(botTokenFromSecret(' xoxb-1-abc \n')).toBe('xoxb-1-abc');
  expect(botTokenFromSecret('{"botToken": "xoxb-2-def"}')).toBe('xoxb-2-def');
  expect(botTokenFromSecret('xoxe.xoxb-1-rot')).toBe('xoxe.xoxb-1-rot');
  for (const bad of ['xoxp-user-token-SECRET', 'https://hooks.slack.com/services/SECRET', '{"token": 5}', '{nope SECRET']) {
    let err: Error | undefined;
    try {
      botTokenFromSecret(bad);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toBeDefined();
    expect(err!.message).not.toContain('SECRET');
  }
});

test('the API URL: https, or http to loopback only', () => {
  expect(slackApiUrl(undefined)).toBe('https://slack.com/api/');
  expect(slackApiUrl('https://slack-gov.com/api')).toBe('https://slack-gov.com/api/');
  expect(slackApiUrl('http://127.0.0.1:9/api/')).toBe('http://127.0.0.1:9/api/');
  expect(() => slackApiUrl('http://slack.example.com/api/')).toThrow(/https/);
});

test('rate-limit waits (Retry-After) do not use up the attempts: only the deadline bounds them', async () => {
  slack.script('chat.postMessage', Array(FAST.maxAttempts + 2).fill({ status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: '0' }));
  const out = await client().postMessage('C0ALERTS', { text: 'x' }, soon(5000));
  expect(out.attempts).toBe(FAST.maxAttempts + 3);
  expect(slack.parents('C0ALERTS')).toHaveLength(1);
});
