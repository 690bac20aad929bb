// Where `runbook-alarms postmortem new` learns what an incident knows: the SlackNotifier's incident
// table, read with the user's AWS credentials (GetItem of the incident's postmortem; else a Scan for
// the alarm's current incident of that id), or an exported incident (what `aws dynamodb get-item`
// prints, or the record as JSON). The AWS SDK is an optional peer dependency, loaded only here.
import { IncidentRecord } from '../functions/shared/incident';
import { PostmortemRecord } from '../functions/shared/postmortem';
import { fromItem } from '../functions/shared/dynamodb-incident-store';
import { INCIDENT_TABLE } from '../functions/shared/config';
import { InputError } from './args';

/** An incident, and its postmortem when one was asked for. */
export interface IncidentSource {
  readonly incident: IncidentRecord;
  readonly postmortem?: PostmortemRecord;
}

const PK = INCIDENT_TABLE.partitionKey;
/** Scan pages read at most while looking for an incident (a table holds one item per alarm, and claims). */
const MAX_PAGES = 50;

type Item = Record<string, unknown>;

/** A record of the table as the source names it (a postmortem's item, or an incident's). */
function sourceOf(item: Item, where: string): IncidentSource {
  const pk = (item[PK] as { S?: unknown } | undefined)?.S ?? item[PK];
  // DynamoDB's JSON (`{"S": "…"}` per attribute) or the record as it is.
  const values = Object.values(item);
  const record = values.length > 0 && values.every((v) => typeof v === 'object' && v !== null) ? fromItem<Item>(item) : item;
  if (typeof pk === 'string' ? pk.startsWith('postmortem#') : typeof record.incident === 'string' && typeof record.dueAt === 'number') {
    const postmortem = record as unknown as PostmortemRecord;
    let incident: unknown;
    try {
      incident = JSON.parse(postmortem.incident);
    } catch {
      throw new InputError(`${where}: the postmortem's incident is not JSON`);
    }
    return { incident: checked(incident as Item, where), postmortem };
  }
  return { incident: checked(record, where) };
}

function checked(r: Item, where: string): IncidentRecord {
  const missing = ['incidentId', 'alarmName', 'notification'].filter((k) => typeof r[k] !== 'string' || r[k] === '');
  if (missing.length > 0) {
    throw new InputError(`${where} is not an incident of the SlackNotifier's table (no ${missing.join(', ')}); export it with ` +
      '`aws dynamodb get-item --table-name <table> --key \'{"pk":{"S":"postmortem#<incident id>"}}\' > incident.json`');
  }
  return r as unknown as IncidentRecord;
}

/** An exported incident: `aws dynamodb get-item` output (`{"Item": …}`), a scan's with one item, an item, or the record as JSON. */
export function incidentFromExport(text: string, file: string): IncidentSource {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(`${file} is not an incident: expected a JSON object`);
  const d = data as { Item?: Item; Items?: Item[] };
  if (d.Items !== undefined) {
    if (!Array.isArray(d.Items) || d.Items.length !== 1) throw new InputError(`${file} holds ${Array.isArray(d.Items) ? d.Items.length : 'no'} items; export one incident`);
    return sourceOf(d.Items[0], file);
  }
  return sourceOf(d.Item ?? (data as Item), file);
}

interface DynamoSdk {
  DynamoDBClient: new (config: unknown) => { send(command: unknown): Promise<{ Item?: Item; Items?: Item[]; LastEvaluatedKey?: Item }>; destroy(): void };
  GetItemCommand: new (input: unknown) => unknown;
  ScanCommand: new (input: unknown) => unknown;
}

function loadSdk(): DynamoSdk {
  try {
    return require('@aws-sdk/client-dynamodb') as DynamoSdk;
  } catch {
    throw new InputError('reading the incident table needs the AWS SDK: `npm install --save-dev @aws-sdk/client-dynamodb`; ' +
      'or export the incident (`aws dynamodb get-item --table-name <table> --key \'{"pk":{"S":"postmortem#<id>"}}\' > incident.json`) and use --from incident.json');
  }
}

/** What an SDK failure means for the user, and what to do. */
function tableError(err: unknown, table: string): InputError {
  const name = (err as { name?: string })?.name ?? 'Error';
  const message = String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
  const fix = name === 'ResourceNotFoundException' ? `check the table name (the stack's SlackNotifier incidentTable) and the region (--region)`
    : /AccessDenied|UnrecognizedClient|ExpiredToken|InvalidSignature/.test(name) ? `your credentials need dynamodb:GetItem and dynamodb:Scan on ${table}, and kms:Decrypt on its key`
      : /Credential/i.test(name) || /credential/i.test(message) ? 'configure AWS credentials (AWS_PROFILE, aws sso login, or the environment)'
        : 'check the region and your network';
  return new InputError(`reading incident table ${table}: ${name}: ${message}; ${fix}`);
}

/** The incident `incidentId` from the table, with the user's credentials (the default chain, `--region` or the profile's). */
export async function incidentFromTable(table: string, incidentId: string, region: string | undefined): Promise<IncidentSource> {
  const sdk = loadSdk();
  const client = new sdk.DynamoDBClient(region ? { region } : {});
  try {
    const got = await client.send(new sdk.GetItemCommand({ TableName: table, Key: { [PK]: { S: `postmortem#${incidentId}` } }, ConsistentRead: true }));
    if (got.Item) return sourceOf(got.Item, `postmortem#${incidentId} of ${table}`);
    // No postmortem was asked for (a SEV3, or tracking off): the alarm's current incident, if it still is this one.
    let start: Item | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(new sdk.ScanCommand({
        TableName: table, FilterExpression: 'incidentId = :id AND begins_with(#pk, :incident)',
        ExpressionAttributeNames: { '#pk': PK }, ExpressionAttributeValues: { ':id': { S: incidentId }, ':incident': { S: 'incident#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }));
      if (out.Items && out.Items.length > 0) return sourceOf(out.Items[0], `incident ${incidentId} of ${table}`);
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw tableError(e, table);
  } finally {
    client.destroy();
  }
  throw new InputError(`incident ${incidentId} is not in ${table}: the table keeps the postmortems it asked for and each alarm's current incident ` +
    '(for its retention); check the id in the Slack thread, or export the incident and use --from');
}
