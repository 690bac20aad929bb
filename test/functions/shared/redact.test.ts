import { MAX_LOGGED_STRING, Redactor, SECRET_PIECE } from '../../../lib/functions/shared/redact';

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
