// The handler's configuration contract with the SlackNotifier construct. No CDK: both sides import it.

/** Environment variables the construct sets. They hold secret ARNs and mentions, never the webhook URL. */
export const HANDLER_ENV = {
  /** ARN of the secret holding the default webhook URL. */
  webhookSecretArn: 'SLACK_WEBHOOK_SECRET_ARN',
  /** Prefix of per-severity secret ARNs: `SLACK_WEBHOOK_SECRET_ARN_SEV1`. */
  severitySecretArnPrefix: 'SLACK_WEBHOOK_SECRET_ARN_',
  /** Prefix of per-severity mentions: `SLACK_MENTION_SEV1=<!subteam^S0123>`. */
  mentionPrefix: 'SLACK_MENTION_',
  /** Prefix of per-severity escalation lines from the escalation policy: `SLACK_ESCALATION_SEV1`. */
  escalationPrefix: 'SLACK_ESCALATION_',
} as const;
