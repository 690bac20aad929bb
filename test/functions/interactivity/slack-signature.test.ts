// Slack's request signatures, checked against the worked example of Slack's "Verifying requests
// from Slack" (its signing secret, timestamp, body and signature), and every way to get them wrong.
import { signingSecretFromSecret, slackSignature, slackSignatureProblem } from '../../../lib/functions/interactivity/slack-signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = 1531420618;
const BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA' +
  '&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

test("Slack's worked example verifies, and our signer makes the same signature", () => {
  expect(slackSignature(SECRET, TS, BODY)).toBe(SIGNATURE);
  expect(slackSignatureProblem(SECRET, String(TS), SIGNATURE, Buffer.from(BODY), TS * 1000 + 30_000)).toBeUndefined();
});

test.each([
  ['another secret', 'x'.repeat(32), String(TS), SIGNATURE, BODY, TS, /does not match/],
  ['a changed body', SECRET, String(TS), SIGNATURE, BODY.replace('roadrunner', 'coyote'), TS, /does not match/],
  ['a changed timestamp (same body)', SECRET, String(TS + 1), SIGNATURE, BODY, TS, /does not match/],
  ['five minutes and a second late: a replay', SECRET, String(TS), SIGNATURE, BODY, TS + 301, /301 s away/],
  ['from the future', SECRET, String(TS), SIGNATURE, BODY, TS - 400, /-400 s away/],
  ['a v1 signature', SECRET, String(TS), SIGNATURE.replace('v0=', 'v1='), BODY, TS, /not v0=/],
  ['a short signature', SECRET, String(TS), SIGNATURE.slice(0, 40), BODY, TS, /not v0=/],
  ['no timestamp', SECRET, undefined, SIGNATURE, BODY, TS, /no X-Slack-Request-Timestamp/],
  ['a timestamp in milliseconds or words', SECRET, 'yesterday', SIGNATURE, BODY, TS, /not a time in seconds/],
])('refused: %s', (_what, secret, ts, signature, body, nowS, problem) => {
  expect(slackSignatureProblem(secret, ts, signature, Buffer.from(body), nowS * 1000)).toMatch(problem);
});

test('the signing secret is read as text or JSON, and never echoed when it is not one', () => {
  expect(signingSecretFromSecret(` ${SECRET}\n`)).toBe(SECRET);
  expect(signingSecretFromSecret(JSON.stringify({ signingSecret: SECRET }))).toBe(SECRET);
  for (const bad of ['', 'xoxb-123-456', '{"signingSecret": 1}', 'short']) {
    let message = '';
    try {
      signingSecretFromSecret(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/signing secret|signingSecret/);
    if (bad.length > 4) expect(message).not.toContain(bad);
  }
});
