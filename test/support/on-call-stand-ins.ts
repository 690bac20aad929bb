// The stand-ins the on-call flow tests run the Slack app mode's functions against, as deployed
// functions reach AWS: dynalite as the incident table, the Slack Web API stand-in, and the AWS
// stand-in (SNS, Scheduler, Lambda, CloudWatch) through the environment; and the functions built on
// them with the tests' clock and log.
import { LogEntry, createHandler } from '../../lib/functions/notifier/app';
import { createEscalationHandler } from '../../lib/functions/escalation/index';
import { createHandoffHandler } from '../../lib/functions/handoff/index';
import { createInteractivityHandler } from '../../lib/functions/interactivity/index';
import { AwsStandIn, startAwsStandIn } from './aws-stand-in';
import { Dynalite, awsEnvironment, startDynalite } from './dynalite';
import { FunctionEnvironments, SIGNING_SECRET, SIGNING_SECRET_ARN, TOKEN } from './escalation-setup';
import { SlackWebApiOptions, SlackWebApiStandIn, startSlackWebApi } from './slack-web-api-stand-in';

/** Delivery settings that keep retries quick in tests. */
export const FAST = { baseDelayMs: 10, maxDelayMs: 40, attemptTimeoutMs: 1000, safetyMarginMs: 100, maxAttempts: 3 };

/** The running stand-ins; `close` stops them and gives the environment back. */
export interface OnCallStandIns {
  readonly dynamo: Dynalite;
  readonly slack: SlackWebApiStandIn;
  readonly aws: AwsStandIn;
  close(): Promise<void>;
}

/** Starts the stand-ins and points the AWS SDK at them (until `close`). */
export async function startOnCallStandIns(channels: SlackWebApiOptions['channels'], topics: string[]): Promise<OnCallStandIns> {
  const saved = { ...process.env };
  const dynamo = await startDynalite();
  const slack = await startSlackWebApi({ channels });
  const aws = await startAwsStandIn({ topics });
  Object.assign(process.env, awsEnvironment(dynamo.endpoint), aws.env());
  return {
    dynamo, slack, aws,
    close: async () => {
      process.env = saved;
      await Promise.all([slack.close(), dynamo.close(), aws.close()]);
    },
  };
}

/** The Slack app mode's functions with the given environments, logging into `logs`, on the tests' clock. */
export function onCallFunctions(envs: FunctionEnvironments, logs: LogEntry[], now: () => number) {
  const secrets = { getSecretString: async (arn: string) => (arn === SIGNING_SECRET_ARN ? JSON.stringify({ signingSecret: SIGNING_SECRET }) : TOKEN) };
  const common = { secrets, delivery: FAST, log: (e: LogEntry) => logs.push(e), now };
  return {
    notifier: createHandler({ ...common, env: envs.notifier }),
    interactivity: createInteractivityHandler({ ...common, env: envs.interactivity }),
    escalation: createEscalationHandler({ ...common, env: envs.escalation }),
    handoff: createHandoffHandler({ ...common, env: envs.handoff }),
  };
}
