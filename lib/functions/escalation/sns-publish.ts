// Pages an escalation's contacts through their SNS topics (which reach SMS, e-mail or a pager),
// through the SDK the Lambda runtime ships, loaded on first use. The text is plain: no Slack markup.
import { awsCallError } from '../shared/scheduler';
import { SHORT_CALLS, lazySdk } from '../shared/runtime';

/** Publishes one page to a topic. */
export interface PagePublisher {
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}

/** SNS subjects are ASCII, one line, at most 100 characters. */
export function snsSubject(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
  return (ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii) || 'Escalated page';
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
