// The Slack app mode's notifier when its table fails, through the real AWS SDK (the DynamoDB
// client the runtime ships) reached through AWS_ENDPOINT_URL_DYNAMODB: a table that refuses
// connections, and one that accepts them and never answers. The message still goes out.
import * as http from 'http';
import { AddressInfo } from 'net';
import { Container, T0, event, expectNoSecret, invoke, notifierContainer } from '../../support/app-notifier';
import { awsEnvironment, startDynalite } from '../../support/dynalite';
import { SlackWebApiStandIn, startSlackWebApi } from '../../support/slack-web-api-stand-in';

let slack: SlackWebApiStandIn;
const saved = { ...process.env };
beforeAll(async () => {
  slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }] });
  Object.assign(process.env, awsEnvironment('http://127.0.0.1:9'));
});
afterAll(async () => {
  process.env = saved;
  await slack.close();
});
beforeEach(() => slack.reset());

/** A container on the DynamoDB table the environment names (no store injected). */
const container = (): Container => notifierContainer(slack);

test('when the table cannot be reached the message still goes out, as a new message, and the error is logged with the fix', async () => {
  const gone = await startDynalite();
  await gone.close();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = gone.endpoint;
  try {
    const c = container();
    const first = await invoke(c, event('ALARM', T0, { messageId: 'down-1' }));
    expect(first.error).toBeUndefined();
    await invoke(c, event('OK', '2026-11-23T02:37:00.000+0000'));
    // Each a message of its own (no thread to reply in), as the webhook mode would post them.
    expect(slack.parents('C0ALERTS').map((m) => m.text)).toEqual([
      '[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog',
      '[SEV2] RESOLVED: Payments/WebhookBacklog — postmortem due',
    ]);
    const error = c.logs.find((l) => l.level === 'error')!;
    expect(error).toMatchObject({ msg: 'incident table unavailable: posting the notification as a new message', fix: expect.stringMatching(/KMS key/) });
    // Duplicates are still caught per container.
    expect((await invoke(c, event('ALARM', T0, { messageId: 'down-1' }))).result).toEqual({ delivered: 0, duplicates: 1 });
    expectNoSecret(c.logs);
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
  }
});

test('when the table hangs (connections accepted, never answered) the message still goes out inside the invocation, as a new message', async () => {
  const hung = http.createServer((req) => req.resume());
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  try {
    const c = container();
    const started = Date.now();
    const out = await invoke(c, event('ALARM', T0, { messageId: 'hung-1' }));
    expect(out.error).toBeUndefined();
    // The SDK gives up on each call (3 attempts of 2.5 s) instead of waiting for the function timeout.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(slack.parents('C0ALERTS').map((m) => m.text)).toEqual(['[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog']);
    expect(c.logs.find((l) => l.level === 'error')).toMatchObject({ msg: 'incident table unavailable: posting the notification as a new message', code: 'TimeoutError' });
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
    hung.closeAllConnections();
    hung.close();
  }
}, 30_000);
