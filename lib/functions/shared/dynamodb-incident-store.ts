// The incident store on the DynamoDB table the SlackNotifier creates, through the SDK the Lambda
// runtime ships (loaded on first use). Every write is conditional (incident-store.ts says which).
import { IncidentRecord } from './incident';
import type { PostmortemRecord } from './postmortem';
import { ClaimResult, IncidentRecords, IncidentStore, IncidentStoreError } from './incident-store';
import { INCIDENT_TABLE } from './config';
import { SHORT_CALLS, lazySdk, sdkErrorText } from './runtime';

/** The table's partition key (the construct creates the table with it). */
const PK = INCIDENT_TABLE.partitionKey;

type Attr = { S: string } | { N: string } | { NULL: true };
/** A DynamoDB item, as the SDK's low-level client reads and writes it. */
export type Item = Record<string, Attr>;

interface DynamoClient {
  send(command: unknown): Promise<{ Item?: Item; Attributes?: Item }>;
}

interface DynamoSdk {
  client: DynamoClient;
  GetItemCommand: new (input: unknown) => unknown;
  PutItemCommand: new (input: unknown) => unknown;
  UpdateItemCommand: new (input: unknown) => unknown;
}

/** The item key of an alarm's current incident, and of an incident kept after a newer one replaced it. */
export const INCIDENT_PREFIX = 'incident#';
export const HISTORY_PREFIX = 'history#';
/** The item key of an incident's postmortem (it outlives the alarm's next incident). */
export const POSTMORTEM_PREFIX = 'postmortem#';

// Every field of a record is a string or a number; unset ones are left out (a put replaces the whole item).
function toItem(pk: string, r: object): Item {
  const item: Item = { [PK]: { S: pk } };
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'string') item[k] = { S: v };
    else if (typeof v === 'number') item[k] = { N: String(v) };
  }
  return item;
}

/** A record from its item (DynamoDB's attribute values: what `aws dynamodb get-item` prints, too). */
export function fromItem<T = IncidentRecord>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item as Item)) {
    if (v && typeof v === 'object' && 'S' in v) out[k] = v.S;
    else if (v && typeof v === 'object' && 'N' in v) out[k] = Number(v.N);
  }
  delete out[PK];
  return out as T;
}

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** An SDK error as a store error: its name and message, which never carry credentials. */
function storeError(err: unknown, what: string): IncidentStoreError {
  const { text, code } = sdkErrorText(err, what);
  return new IncidentStoreError(text, code);
}

/** A transition item's status (`claimed`, `posted`, `done`), if it has one. */
function statusOf(item: Item | undefined): string | undefined {
  const status = item?.status;
  return status && 'S' in status ? status.S : undefined;
}

/**
 * Incident and postmortem records in the DynamoDB table the SlackNotifier creates, through the SDK
 * the Lambda runtime ships (loaded on first use): what the interactivity function needs.
 */
export class DynamoDbIncidentRecords implements IncidentRecords {
  // Short timeouts and few attempts: a table that does not answer must not eat the time left for posting the message anyway.
  private readonly load = lazySdk('@aws-sdk/client-dynamodb', (m: typeof import('@aws-sdk/client-dynamodb')): DynamoSdk => ({
    client: new m.DynamoDBClient(SHORT_CALLS) as unknown as DynamoClient,
    GetItemCommand: m.GetItemCommand as unknown as new (input: unknown) => unknown,
    PutItemCommand: m.PutItemCommand as unknown as new (input: unknown) => unknown,
    UpdateItemCommand: m.UpdateItemCommand as unknown as new (input: unknown) => unknown,
  }));

  constructor(protected readonly tableName: string) {}

  protected async send<T>(what: string, build: (sdk: DynamoSdk) => unknown, onConditionFailure: () => T): Promise<{ Item?: Item; Attributes?: Item } | T> {
    let sdk: DynamoSdk;
    try {
      sdk = await this.load();
    } catch (err) {
      throw storeError(err, 'the DynamoDB client could not be loaded');
    }
    try {
      return await sdk.client.send(build(sdk));
    } catch (err) {
      if (isConditionFailure(err)) return onConditionFailure();
      throw storeError(err, what);
    }
  }

  /** The table and the key of the item `pk`, as every command but a put names them. */
  protected at(pk: string) {
    return { TableName: this.tableName, Key: { [PK]: { S: pk } } };
  }

  /** The item `pk`, read consistently. */
  protected async read(what: string, pk: string): Promise<Item | undefined> {
    return (await this.send(what, (s) => new s.GetItemCommand({ ...this.at(pk), ConsistentRead: true }), () => undefined))?.Item;
  }

  async get(alarmKey: string): Promise<IncidentRecord | undefined> {
    const item = await this.read('reading the incident', `${INCIDENT_PREFIX}${alarmKey}`);
    return item ? fromItem(item) : undefined;
  }

  async put(next: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    return this.putVersioned('writing the incident', toItem(`${INCIDENT_PREFIX}${next.alarmKey}`, next), expectedVersion);
  }

  async getPostmortem(incidentId: string): Promise<PostmortemRecord | undefined> {
    const item = await this.read('reading the postmortem', `${POSTMORTEM_PREFIX}${incidentId}`);
    return item ? fromItem<PostmortemRecord>(item) : undefined;
  }

  async putPostmortem(next: PostmortemRecord, expectedVersion: number | undefined): Promise<boolean> {
    return this.putVersioned('writing the postmortem', toItem(`${POSTMORTEM_PREFIX}${next.incidentId}`, next), expectedVersion);
  }

  /** Puts `item` if the stored one still has `expectedVersion` (undefined: none stored). */
  private async putVersioned(what: string, item: Item, expectedVersion: number | undefined): Promise<boolean> {
    const conditional = expectedVersion === undefined
      ? { ConditionExpression: `attribute_not_exists(${PK})` }
      : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } } };
    const out = await this.send(what, (s) => new s.PutItemCommand({ TableName: this.tableName, Item: item, ...conditional }), () => false as const);
    return out !== false;
  }

  async keep(record: IncidentRecord): Promise<void> {
    // The incident as it ended; a repeat writes the same (the replacing write wins only once).
    await this.send('keeping the replaced incident', (s) => new s.PutItemCommand({ TableName: this.tableName, Item: toItem(`${HISTORY_PREFIX}${record.incidentId}`, record) }), () => undefined);
  }

}

/** The records and the transition claims in the same table: the notifier's, the escalation's and the handoff's store. */
export class DynamoDbIncidentStore extends DynamoDbIncidentRecords implements IncidentStore {
  async claim(key: string, owner: string, now: number, leaseMs: number, expiresAt: number): Promise<ClaimResult> {
    const pk = `transition#${key}`;
    const out = await this.send('claiming the transition', (s) => new s.UpdateItemCommand({
      ...this.at(pk),
      UpdateExpression: 'SET #owner = :owner, claimedAt = :now, expiresAt = :exp, #status = if_not_exists(#status, :claimed)',
      ConditionExpression: `attribute_not_exists(${PK}) OR (#status <> :done AND (#owner = :owner OR claimedAt < :stale))`,
      ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
      ExpressionAttributeValues: {
        ':owner': { S: owner }, ':now': { N: String(now) }, ':exp': { N: String(expiresAt) }, ':claimed': { S: 'claimed' },
        ':done': { S: 'done' }, ':stale': { N: String(now - leaseMs) },
      },
      ReturnValues: 'ALL_NEW',
    }), () => 'taken' as const);
    if (out !== 'taken') return { kind: 'claimed', posted: statusOf(out.Attributes) === 'posted' };
    return statusOf(await this.read('reading the transition', pk)) === 'done' ? { kind: 'done' } : { kind: 'busy' };
  }

  async mark(key: string, owner: string, status: 'posted' | 'done'): Promise<boolean> {
    return this.updateOwned('recording the transition', key, owner, 'SET #status = :v', { S: status }, { '#status': 'status' });
  }

  async release(key: string, owner: string): Promise<void> {
    await this.updateOwned('releasing the transition', key, owner, 'SET claimedAt = :v', { N: '0' });
  }

  /** Updates a transition's item while `owner` holds it; false when another does. */
  private async updateOwned(what: string, key: string, owner: string, update: string, value: Attr, names?: Record<string, string>): Promise<boolean> {
    const out = await this.send(what, (s) => new s.UpdateItemCommand({
      ...this.at(`transition#${key}`),
      UpdateExpression: update,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner', ...names },
      ExpressionAttributeValues: { ':v': value, ':owner': { S: owner } },
    }), () => false as const);
    return out !== false;
  }
}
