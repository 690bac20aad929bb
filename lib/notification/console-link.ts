// Where the alarm lives: its region code and a CloudWatch console deep link.
// Pure module: bundled into the Lambda handler.
import { wellFormed } from '../core/text';

/** The partition, region code and (when it names one) account in an ARN, if it is one. */
export function arnLocation(arn: string | undefined): { partition: string; region: string; account?: string } | undefined {
  const m = /^arn:(aws[a-z-]*):[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):(?:(\d{12}):)?/.exec(arn ?? '');
  return m ? { partition: m[1], region: m[2], ...(m[3] ? { account: m[3] } : {}) } : undefined;
}

// CloudWatch writes the region's display name into notifications, in several spellings over the
// years ("US West - Oregon", "US West (Oregon)", "EU (Ireland)", "Europe (Ireland)"); keys are
// normalised: lower case, letters and digits only, "europe" read as "eu". Written compactly
// (`key=code`, `+` standing for "asiapacific"), read into a Map on first use: a bundle that never
// reads a region name (the handoff's) does not carry the table.
let regionNames: Map<string, string> | undefined;
const regionTable = () => regionNames ??= new Map((
  'useastnvirginia=us-east-1 useastohio=us-east-2 uswestncalifornia=us-west-1 ' +
  'uswestoregon=us-west-2 africacapetown=af-south-1 +hongkong=ap-east-1 +mumbai=ap-south-1 ' +
  '+hyderabad=ap-south-2 +osaka=ap-northeast-3 +seoul=ap-northeast-2 ' +
  '+singapore=ap-southeast-1 +sydney=ap-southeast-2 +jakarta=ap-southeast-3 ' +
  '+melbourne=ap-southeast-4 +tokyo=ap-northeast-1 canadacentral=ca-central-1 ' +
  'eufrankfurt=eu-central-1 euzurich=eu-central-2 euireland=eu-west-1 eulondon=eu-west-2 ' +
  'euparis=eu-west-3 eumilan=eu-south-1 euspain=eu-south-2 eustockholm=eu-north-1 ' +
  'middleeastbahrain=me-south-1 middleeastuae=me-central-1 southamericasaopaulo=sa-east-1 ' +
  'israeltelaviv=il-central-1'
).split(' ').map((entry) => entry.replace('+', 'asiapacific').split('=') as [string, string]));

/** Reads a region display name such as `US East (N. Virginia)` as a region code. */
export function regionCodeFromName(name: string | undefined): string | undefined {
  // Display names are short; a Map, so that `constructor` or `__proto__` is no region.
  if (typeof name !== 'string' || name.length > 100) return undefined;
  const key = name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]/g, '').replace(/^europe/, 'eu');
  return regionTable().get(key);
}

const CONSOLE_HOSTS = new Map([
  ['aws', 'console.aws.amazon.com'],
  ['aws-cn', 'console.amazonaws.cn'],
  ['aws-us-gov', 'console.amazonaws-us-gov.com'],
]);

/** Where the alarm is: region code (from the alarm ARN, else the topic ARN, else the region name) and partition. */
export function alarmLocation(alarmArn?: string, topicArn?: string, regionName?: string): { partition: string; region?: string } {
  const fromArn = arnLocation(alarmArn) ?? arnLocation(topicArn);
  if (fromArn) return fromArn;
  return { partition: 'aws', region: regionCodeFromName(regionName) };
}

/** The CloudWatch console page of an alarm; without a region the console opens its last region. */
export function alarmConsoleUrl(alarmName: string, partition: string, region?: string): string {
  const host = CONSOLE_HOSTS.get(partition) ?? CONSOLE_HOSTS.get('aws')!;
  // encodeURIComponent throws on a lone surrogate.
  const hash = `#alarmsV2:alarm/${encodeURIComponent(wellFormed(alarmName))}`;
  return region ? `https://${region}.${host}/cloudwatch/home?region=${region}${hash}` : `https://${host}/cloudwatch/home${hash}`;
}
