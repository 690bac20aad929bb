// The SlackNotifier watches itself: a page on its failure queue's depth, with its runbook (by
// default the user's own copy of the one this package ships, linked under their base URL).
import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Severity } from '../../core/severity';
import { NOTIFIER_FAILURE_RUNBOOK } from '../../runbook/shipped';
import { Runbook, RunbookError } from '../runbook';
import { RunbookAlarm } from '../runbook-alarm';
import type { SlackNotifierProps } from '../slack-notifier';

/**
 * The failure alarm's default runbook: the user's own copy of the shipped one, linked under their
 * base URL, so the page's link opens for everyone (a URL into the package would not exist for git
 * or tarball installs). Missing, it fails synth saying how to write it.
 */
function defaultFailureRunbook(where: string): Runbook {
  try {
    return Runbook.fromFile(NOTIFIER_FAILURE_RUNBOOK);
  } catch (e) {
    if (!(e instanceof RunbookError)) throw e;
    throw new RunbookError(`SlackNotifier '${where}': its failure alarm is a page and links its runbook from your project. ${e.message}. ` +
      'Or pass failureRunbook: Runbook.fromFile(...) / Runbook.fromUrl(...) to use your own.', e.findings);
  }
}

/** The page on undelivered notifications (the failure queue's depth), routed as the props say. */
export function watchFailures(notifier: Construct, failureQueue: sqs.IQueue, props: SlackNotifierProps): RunbookAlarm {
  const failureRunbook = props.failureRunbook ?? defaultFailureRunbook(notifier.node.path);
  const alarm = new RunbookAlarm(notifier, 'FailureAlarm', {
    severity: props.failureAlarmSeverity ?? Severity.SEV2,
    runbook: failureRunbook,
    owner: props.owner ?? failureRunbook.owner ?? 'on-call',
    summary: 'Alarm notifications were not delivered to Slack; the on-call may be missing pages.',
    metric: failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    routing: props.failureAlarmRouting ?? props.routing,
  });
  if (!props.failureAlarmRouting && !props.routing) {
    // No routing to page with: announce on the first topic given (its other subscribers, and
    // this notifier once Slack takes messages again), so the alarm reaches someone.
    const topic = props.topics?.[0];
    if (topic) {
      alarm.addAlarmAction(new cwActions.SnsAction(topic));
      alarm.addOkAction(new cwActions.SnsAction(topic));
    } else {
      Annotations.of(notifier).addWarningV2('cdk-runbook-alarms:slack-notifier-unrouted',
        'The SlackNotifier has no routing and no topics: its failure alarm reaches no one; pass failureAlarmRouting');
    }
  }
  return alarm;
}
