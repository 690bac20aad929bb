// Every incident the table holds, for the reports: each alarm's current incident (`incident#…`) and
// each one a newer incident of its alarm replaced (`history#…`, kept by the notifier as it ended),
// read with a parallel Scan. The table has one key and no index: a Scan reads every item (claims
// too) and is billed for them; the reports read rarely (docs/on-call-health.md says what it costs).
import { IncidentRecord } from './incident';
import { HISTORY_PREFIX, INCIDENT_PREFIX, Item, fromItem } from './dynamodb-incident-store';
import { INCIDENT_TABLE } from './config';

/** The Scan calls this needs (the SDK's DynamoDBClient and ScanCommand). */
export interface ScanSdk {
  readonly client: { send(command: unknown): Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }> };
  readonly ScanCommand: new (input: unknown) => unknown;
}

/** What to read. */
export interface ReadIncidentsOptions {
  /** Only incidents that fired at or after this (epoch ms). @default - all */
  readonly since?: number;
  /** Parallel Scan segments. @default 4 */
  readonly segments?: number;
}

/** The incidents that fired (since `since`), current and replaced, as stored. */
export async function readIncidents(sdk: ScanSdk, tableName: string, o: ReadIncidentsOptions = {}): Promise<IncidentRecord[]> {
  const segments = Math.max(1, Math.min(16, Math.floor(o.segments ?? 4)));
  const values: Record<string, Item[string]> = { ':i': { S: INCIDENT_PREFIX }, ':h': { S: HISTORY_PREFIX } };
  if (o.since !== undefined) values[':since'] = { N: String(o.since) };
  const input = {
    TableName: tableName,
    FilterExpression: `(begins_with(#pk, :i) OR begins_with(#pk, :h)) AND ${o.since !== undefined ? 'firedAt >= :since' : 'attribute_exists(firedAt)'}`,
    ExpressionAttributeNames: { '#pk': INCIDENT_TABLE.partitionKey },
    ExpressionAttributeValues: values,
    TotalSegments: segments,
  };
  const parts = await Promise.all(Array.from({ length: segments }, async (_, segment) => {
    const out: IncidentRecord[] = [];
    let start: Item | undefined;
    do {
      const page = await sdk.client.send(new sdk.ScanCommand({ ...input, Segment: segment, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) out.push(fromItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }));
  return parts.flat();
}
