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
  ['AWS access key id', 'Use AKIAIOSFODNN7EXAMPLE to log in.', 5],
  ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 1],
  ['Google API key', 'Maps key AIzaSyA1234567890abcdefghijklmnopqrstuv.', 10],
  ['Slack token', 'Bot token xoxb-123456789012-abcdefghijklmnop for posting.', 11],
  ['Slack webhook URL', 'Post to https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX by curl.', 9],
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
