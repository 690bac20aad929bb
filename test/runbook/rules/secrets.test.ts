// Runbook-Secret: no credentials in a runbook; the finding names the kind, never the secret.
import { secretsRule as rule } from '../../../lib/runbook/rules/secrets';
import { BASE, check, describeFixtures, variant } from '../helpers';

const LAST = 'Within 5 business days for SEV2.';

test('compliant: references to where a secret is kept are not secrets', () => {
  expect(check(rule, BASE)).toEqual([]);
  for (const reference of [
    'DB password: ${DB_PASSWORD} from `aws secretsmanager get-secret-value --secret-id orders-db`.',
    'password: <from the vault>', 'api_key = $API_KEY', 'client_secret: {{resolve:secretsmanager:orders}}', 'password=******',
    'token: arn:aws:ssm:eu-west-1:123456789012:parameter/orders', 'secret sauce: patience',
  ]) {
    expect(check(rule, variant([LAST, reference]))).toEqual([]);
  }
});

test.each([
  ['AWS access key id', 'Use AKIA4QN7XZ2KJH6RTW5M to log in.', 5],
  ['AWS secret access key', 'aws_secret_access_key = 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', 1],
  ['Google API key', 'Maps key AIzaSyA1234567890abcdefghijklmnopqrstuv.', 10],
  ['Slack token', 'Bot token xoxb-123456789012-abcdefghijklmnop for posting.', 11],
  ['Slack webhook URL', 'Post to https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/q1w2e3r4t5y6u7i8o9p0a1s2 by curl.', 9],
  ['private key', '```\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n```', 1],
  ['password assignment', 'Log in with `db_password=hunter2hunter2` on the bastion.', 17],
])('non-compliant: %s, at its position, without the secret in the message', (kind, text, column) => {
  const findings = check(rule, variant([LAST, text]));
  expect(findings).toEqual([expect.objectContaining({ ruleId: 'Runbook-Secret', level: 'error', column,
    line: kind === 'private key' ? 30 : 29, message: expect.stringContaining(`${kind} is written in the runbook`) })]);
  const secret = /AKIA\S+|wJal\S+|AIza\S+|xoxb\S+|https:\S+|MIIEow|hunter2hunter2/.exec(text)![0];
  expect(JSON.stringify(findings)).not.toContain(secret);
});

test('a secret in the front matter is found too', () => {
  expect(check(rule, variant(['owner: orders', 'owner: orders\nslack_token: xoxb-123456789012-abcdefghijklmnop']))).toEqual([expect.objectContaining({ line: 4 })]);
});

describeFixtures('secret', rule);

describe('other forms of a secret', () => {
  test.each([
    ['AWS access key id', 'A session key ASIAY34FZKBOKMUTVV7A from STS.', 15, 'ASIAY34FZKBOKMUTVV7A'],
    ['Slack token', 'Refresh token xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAxMi0xMjM0NTY3ODkwMTIz works.', 20, 'Mi0yLTEy'],
    ['Slack app token', 'Socket mode: xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef01 here.', 14, 'abcdef0123456789'],
    ['Slack webhook URL', 'Workflow: https://hooks.slack.com/triggers/T024BE7LD/1234567890123/abcdef0123456789abcdef0123456789', 11, '/T024BE7LD/'],
    ['GitHub token', 'Clone with ghp_1234567890abcdefghijABCDEFGHIJ123456 as the password.', 12, 'ghp_1234'],
    ['GitHub token', 'Fine-grained: github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGH.', 15, 'github_pat_11'],
    ['JSON web token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 23, 'SflKxwRJ'],
    ['password in a URL', 'Connect: `psql postgres://admin:S3cr3tP4ss@db.internal:5432/orders`.', 16, 'S3cr3tP4ss'],
    ['password in a URL', 'Open https://ops:hunter2hunter2@grafana.internal/d/orders.', 6, 'hunter2hunter2'],
    ['password assignment', 'Run `PGPASSWORD=hunter2hunter2 psql -h db` from the bastion.', 6, 'hunter2hunter2'],
    ['password assignment', 'Set "password": "correcthorse" in the client.', 6, 'correcthorse'],
  ])('%s: %s', (kind, text, column, secret) => {
    const findings = check(rule, variant([LAST, text]));
    expect(findings).toEqual([expect.objectContaining({ line: 29, column, message: expect.stringContaining(`${kind} is written`) })]);
    expect(JSON.stringify(findings)).not.toContain(secret);
  });

  test('a secret inside a fenced code block is still a secret', () => {
    const findings = check(rule, variant([LAST, '```bash\nexport AWS_ACCESS_KEY_ID=AKIA4QN7XZ2KJH6RTW5M\n```']));
    expect(findings).toEqual([expect.objectContaining({ line: 30, column: 26, message: expect.stringContaining('AWS access key id') })]);
  });

  test('one secret is one finding, even when it is also an assignment', () => {
    expect(check(rule, variant([LAST, 'SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKl']))).toEqual([
      expect.objectContaining({ column: 17, message: expect.stringContaining('Slack token') }),
    ]);
  });
});

test.each([
  ["AWS's documented example key", 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'],
  ["AWS's documented example secret", 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['a redacted Slack token', 'The bot token looks like xoxb-REDACTED.'],
  ['an x-ed out Slack token', 'Tokens look like xoxb-xxxxxxxxxxxx-xxxxxxxxxxxx.'],
  ["Slack's documented webhook placeholder", 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  ['a URL with a variable for the password', 'psql postgres://admin:$PGPASSWORD@db.internal/orders'],
  ['a URL with a placeholder for the password', 'psql "postgres://admin:<password>@db.internal/orders"'],
  ['a URL with a user but no password', 'git clone ssh://git@github.com/acme/ops and https://ops@grafana.internal'],
  ['the word password in a sentence', 'Reset the password: rotate it in Secrets Manager first.'],
  ['an environment variable read from a command', 'GITHUB_TOKEN=$(gh auth token) gh api /user'],
])('compliant: %s', (_what, text) => {
  expect(check(rule, variant([LAST, text]))).toEqual([]);
});
