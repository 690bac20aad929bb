import fc from 'fast-check';
import { SCHEDULER_FIX } from '../../../lib/functions/shared/escalation-timer';
import { MAX_LOGGED_STRING, Redactor, SECRET_PIECE } from '../../../lib/functions/shared/redact';
import { SLACK_ERROR_FIXES } from '../../../lib/functions/shared/slack-api';
import { loggedTexts } from '../../support/logged-texts';

const URL = 'https://hooks.slack.com/services/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX';
const PATH = '/services/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX';
const TOKEN = 'abcdEFGHijklMNOPqrstUVWX';

/** Every piece of the path a log line must not show (the first segment, `services`, is no secret but is redacted too). */
function pieces(secret: string): string[] {
  return Array.from({ length: secret.length - SECRET_PIECE + 1 }, (_, i) => secret.slice(i, i + SECRET_PIECE));
}
const expectNoPieceOf = (text: string, secret: string) => {
  for (const p of pieces(secret)) expect(text).not.toContain(p);
};

describe('Redactor', () => {
  const r = new Redactor().addUrl('https://proxy.example/hook/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX');

  test.each([
    ['the URL', `POST ${'https://proxy.example/hook/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX'} failed`],
    ['the path, as a 404 body quotes it', 'Not Found: /hook/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX'],
    ['the token alone', `invalid token ${TOKEN}`],
    ['a token cut short by a 200-character limit', `${'x'.repeat(190)}/hook/T0AAAA1111/B0BBBB2222/abcdEFGH`],
    ['half a token in the middle of a word', `zz${TOKEN.slice(5, 17)}zz`],
  ])('takes out %s', (_what, text) => {
    const out = r.redact(text);
    expect(out).toContain('[redacted]');
    expectNoPieceOf(out, '/T0AAAA1111/B0BBBB2222/abcdEFGHijklMNOPqrstUVWX');
  });

  test('Slack credentials it was never told about: bot, user and app tokens, webhook URLs and paths, authorization headers', () => {
    const fresh = new Redactor();
    const out = fresh.redact(`xoxb-1234-5678-abcdef xoxp-1-2-3 xapp-1-A0-1-ff ${URL} seen at ${PATH} with Authorization: Bearer abc.def-ghi`);
    expect(out).not.toMatch(/xoxb-1|xoxp-1|xapp-1|hooks\.slack|T0AAAA1111|abcdEFGH|abc\.def/);
  });

  test('leaves ordinary text alone', () => {
    const text = 'HTTP 404 no_service: the webhook is gone; 3 attempts, status 500 after 1200 ms';
    expect(new Redactor().addUrl(URL).redact(text)).toBe(text);
    // A short path part (as in a test URL /services/T/B/X) is redacted only within the path.
    expect(new Redactor().addUrl('http://127.0.0.1:8080/services/T/B/X').redact('T and B and X; not /services/T/B/X')).toBe('T and B and X; not [redacted]');
  });

  test('redacts every field of a log entry, however nested, and bounds long strings', () => {
    const entry = { level: 'error', msg: 'x', error: `HTTP 500 ${PATH}`, nested: { list: [`at ${URL}`], err: new Error(`fetch ${URL}`) }, big: 'y'.repeat(5000), n: 3 };
    const out = new Redactor().addUrl(URL).redactValue(entry);
    expectNoPieceOf(JSON.stringify(out), PATH);
    expect(out.n).toBe(3);
    expect((out.big as string).length).toBeLessThan(MAX_LOGGED_STRING + 40);
    expect(String(out.nested.err)).toMatch(/^Error: fetch \[redacted\]/);
  });
});

describe('hides secrets, not words', () => {
  test('authorization values are credentials; the words after Basic or Bearer in a sentence are not', () => {
    const r = new Redactor();
    for (const text of [
      'put the app\'s Signing Secret (Basic Information → App Credentials) in the secret',
      'Basic information, Bearer tokens and Basic authentication are explained on the Authorization page (Authorization: required).',
      'a Bearer re-authentication flow; BASIC AUTHENTICATION; authorization=denied',
    ]) expect(r.redact(text)).toBe(text);
    for (const [text, kept] of [
      ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
      ['authorization: Bearer abc.def-ghi', 'authorization: Bearer [redacted]'],
      ['{"authorization":"Bearer 9f86d081884c7d659a2feaa0c55ad015"}', '{"authorization":"Bearer [redacted]"}'],
      ['headers: { Authorization: \'Token A1b2C3d4E5f6\' }', 'headers: { Authorization: \'Token [redacted]\' }'],
      ['basic dXNlcjpwYXNz', 'basic [redacted]'],
    ]) expect(r.redact(text)).toBe(kept);
  });

  test('a secret stored as JSON or a URL gives away its values, not its keys, scheme, host or path words', () => {
    const r = new Redactor()
      .addSecret(JSON.stringify({ botToken: 'xoxb-1111-2222-AbCdEfGhIjKl' }))
      .addSecret(JSON.stringify({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' }))
      .addUrl(JSON.stringify({ webhookUrl: URL }))
      .addUrl(URL);
    const prose = 'the secret is JSON without a "botToken" key; see https://api.slack.com/apps and https://slack-status.com (services are up); the signingSecret key';
    expect(r.redact(prose)).toBe(prose);
    const leaked = `token xoxb-1111-2222-AbCdEfGhIjKl, secret 8f742231b10e8888abcd99yyyzzz85a5, url ${URL}, cut 8888abcd99yy, path ${PATH.slice(0, 30)}`;
    const out = r.redact(leaked);
    for (const secret of ['xoxb-1111-2222-AbCdEfGhIjKl', '8f742231b10e8888abcd99yyyzzz85a5', PATH.slice('/services'.length)]) expectNoPieceOf(out, secret);
  });

  test('random prose stays as it is, with every secret of the functions configured', () => {
    const r = new Redactor().addSecret('xoxb-1111-2222-AbCdEfGhIjKl').addSecret(JSON.stringify({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' })).addUrl(URL);
    const words = ['Basic', 'Bearer', 'Information', 'authorization:', 'the', 'secret', 'services', 'https://slack.com/api', 'App', 'Credentials', 'token', 'OAuth',
      'xoxb', 'hooks', 'reinstall', 'Signing', '(Basic', 'Information)', 'B0', 'T0', 'webhook', 'scope', 'channel', '→', 'Token'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), (ws) => {
      const text = ws.join(' ');
      expect(r.redact(text)).toBe(text);
    }), { numRuns: 300 });
  });

  test('every fix and message the functions log comes out of the redactor unchanged, with every secret configured', () => {
    const texts = loggedTexts();
    // The collection is not empty by accident: the Slack error fixes, the Scheduler, table and signing-secret fixes.
    for (const fix of [...Object.values(SLACK_ERROR_FIXES), SCHEDULER_FIX]) expect(texts.map((t) => t.text)).toContain(fix);
    expect(texts.find((t) => t.text.includes('Basic Information → App Credentials'))).toBeDefined();
    expect(texts.filter((t) => t.key === 'fix').length).toBeGreaterThanOrEqual(6);
    expect(texts.filter((t) => t.key === 'msg').length).toBeGreaterThan(40);
    const r = new Redactor()
      .addSecret(JSON.stringify({ botToken: 'xoxb-1111-2222-AbCdEfGhIjKl' }))
      .addSecret('xoxb-1111-2222-AbCdEfGhIjKl')
      .addSecret(JSON.stringify({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a5' }))
      .addUrl(JSON.stringify({ webhookUrl: URL }))
      .addUrl(URL);
    const changed = texts.filter((t) => r.redact(t.text) !== t.text).map((t) => `${t.where}: ${t.text} → ${r.redact(t.text)}`);
    expect(changed).toEqual([]);
  });
});
