// What the benchmarks of the on-call loop share: the stand-ins the built functions talk to (dynalite
// as the incident table, Secrets Manager, Scheduler, SNS and Lambda's invoke, the Slack Web API),
// reached through AWS_ENDPOINT_URL_<SERVICE> as in AWS; the functions' environments as the
// construct synthesizes them; and incidents opened by the built notifier, their timers set by the
// built escalation function.
import * as path from 'path';
import { startAwsStandIn } from '../test/support/aws-stand-in';
import { awsEnvironment, createIncidentTable, startDynalite } from '../test/support/dynalite';
import { BOT_TOKEN_ARN, ESCALATION_ARN, SIGNING_SECRET, SIGNING_SECRET_ARN, TOKEN, TOPICS, functionEnvironments } from '../test/support/escalation-setup';
import { startSecretsManagerStandIn } from '../test/support/secrets-manager-stand-in';
import { StoredMessage, startSlackWebApi } from '../test/support/slack-web-api-stand-in';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROOT = path.join(__dirname, '..');

/** A built function's bundle. */
export const bundle = (name: string) => path.join(ROOT, 'dist', 'functions', name, 'index.js');

/** Starts the stand-ins (this process's environment points the SDK at them) and returns them with an incident opener. */
export async function startOnCallWorld() {
  const dynamo = await startDynalite();
  const slack = await startSlackWebApi({ channels: [{ id: 'C0ALERTS', name: 'alerts' }, { id: 'C0INCIDENTS', name: 'incidents' }] });
  const secrets = await startSecretsManagerStandIn({ [BOT_TOKEN_ARN]: TOKEN, [SIGNING_SECRET_ARN]: SIGNING_SECRET });
  const aws = await startAwsStandIn({ topics: TOPICS });
  Object.assign(process.env, awsEnvironment(dynamo.endpoint), aws.env(), { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url });
  const table = await createIncidentTable(dynamo.endpoint);
  const envs = functionEnvironments(table, slack.url);
  const common = { secrets: { getSecretString: async (arn: string) => (arn === SIGNING_SECRET_ARN ? SIGNING_SECRET : TOKEN) }, log: () => undefined };
  const notifier = require(bundle('notifier-app')).createHandler({ ...common, env: envs.notifier });
  const escalation = require(bundle('escalation')).createEscalationHandler({ ...common, env: envs.escalation });
  const ctx = { getRemainingTimeInMillis: () => 30_000, invokedFunctionArn: ESCALATION_ARN };
  let opened = 0;
  return {
    dynamo, slack, secrets, aws, envs,
    /** Opens a SEV1 page (its parent, its timer) and returns its parent message. */
    async open(): Promise<StoredMessage> {
      const i = ++opened;
      const message = { AlarmName: `db-${i}`, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db-${i}`, NewStateValue: 'ALARM', OldStateValue: 'OK',
        AlarmDescription: 'Severity: SEV1\nRunbook: https://x.example/rb\nFirst move: fail over', StateChangeTime: new Date(Date.now() - 60_000).toISOString().replace('Z', '+0000') };
      await notifier({ Records: [{ Sns: { MessageId: `m-${i}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:page', Message: JSON.stringify(message) } }] }, ctx);
      while (aws.invocations.length) await escalation(aws.invocations.shift()!.payload, ctx);
      return slack.parents('C0INCIDENTS').find((p) => p.text.includes(`ALARM: db-${i} `))!;
    },
    close: () => Promise.all([slack.close(), dynamo.close(), secrets.close(), aws.close()]),
  };
}
