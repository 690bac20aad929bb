// Pages through SNS topics (their subscriptions reach SMS, e-mail or a pager): the page contact and
// the notify contacts when an alarm opens (the notifier), the next level when nobody acknowledged
// (the escalation function). Through the SDK the Lambda runtime ships, loaded on first use. The
// text is plain: no Slack markup.
import { parseAlarmContract } from '../../core/contract';
import { oneLine } from '../../core/text';
import { AlarmNotification } from '../../notification/sns-message';
import { SHORT_CALLS, awsCallError, lazySdk } from './runtime';

/** Publishes one page to a topic. */
export interface PagePublisher {
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}

/** SNS subjects are ASCII, one line, at most 100 characters. */
export function snsSubject(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
  return (ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii) || 'Page';
}

/**
 * The plain text of a page (SMS, e-mail): `lead` lines first, then what the alarm says (summary,
 * first move, runbook). The subject is `[SEV1] <subjectLead><service>: <alarm name>`.
 */
export function pageText(n: AlarmNotification, subjectLead: string, lead: readonly string[], service?: string): { subject: string; message: string } {
  const contract = parseAlarmContract(n.alarmDescription);
  const name = oneLine(n.alarmName);
  const lines = [
    ...lead,
    ...(service ? [`Service: ${oneLine(service).slice(0, 100)}`] : []),
    ...(contract.summary ? [oneLine(contract.summary).slice(0, 500)] : []),
    ...(contract.firstMove ? [`First move: ${oneLine(contract.firstMove).slice(0, 500)}`] : []),
    ...(contract.runbookUrl ? [`Runbook: ${contract.runbookUrl.slice(0, 1000)}`] : []),
  ];
  return { subject: `[${contract.severity ?? 'NO SEVERITY'}] ${subjectLead}${service ? `${oneLine(service)}: ` : ''}${name}`, message: lines.join('\n') };
}

interface SnsSdk {
  client: { send(command: unknown): Promise<unknown> };
  PublishCommand: new (input: unknown) => unknown;
}

/** Amazon SNS. */
export class SnsPagePublisher implements PagePublisher {
  private readonly load = lazySdk('@aws-sdk/client-sns', (m: typeof import('@aws-sdk/client-sns')): SnsSdk => ({
    client: new m.SNSClient(SHORT_CALLS) as unknown as SnsSdk['client'],
    PublishCommand: m.PublishCommand as unknown as SnsSdk['PublishCommand'],
  }));

  async publish(topicArn: string, subject: string, message: string): Promise<void> {
    const sdk = await this.load().catch((err) => { throw awsCallError(err, 'the SNS client could not be loaded'); });
    try {
      await sdk.client.send(new sdk.PublishCommand({ TopicArn: topicArn, Subject: snsSubject(subject), Message: message }));
    } catch (err) {
      throw awsCallError(err, `publishing to ${topicArn}`);
    }
  }
}

/**
 * Publishes one page to each topic (each once); resolves to the number published, or throws
 * naming the topics that failed after trying them all.
 */
export async function publishPages(publisher: PagePublisher, topics: readonly string[], text: { subject: string; message: string }): Promise<number> {
  const unique = [...new Set(topics)];
  const results = await Promise.allSettled(unique.map((t) => publisher.publish(t, text.subject, text.message)));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
  if (failed.length > 0) throw new Error(`${failed.length} of ${unique.length} SNS page(s) not published: ${failed.join('; ')}`);
  return unique.length;
}
