// The incident store's conditions, held by both stores alike: DynamoDB (dynalite, through the real
// SDK and AWS_ENDPOINT_URL_DYNAMODB) and the memory store previews and flow tests use. This is the
// contract that lets the flow tests run on memory.
import { IncidentRecord } from '../../../lib/functions/shared/incident';
import { IncidentListing, IncidentStore, IncidentStoreError, MemoryIncidentStore } from '../../../lib/functions/shared/incident-store';
import { DynamoDbIncidentStore } from '../../../lib/functions/shared/dynamodb-incident-store';
import { DynamoDbIncidentListing } from '../../../lib/functions/shared/dynamodb-incident-listing';
import { readIncidents } from '../../../lib/functions/shared/incident-history';
import { Dynalite, awsEnvironment, createIncidentTable, startDynalite } from '../../support/dynalite';
import { postmortemRecord, record } from '../../support/incident';

let dynamo: Dynalite;
const saved = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
  Object.assign(process.env, awsEnvironment(dynamo.endpoint));
});
afterAll(async () => {
  process.env = saved;
  await dynamo.close();
});

const stores: Array<[string, () => Promise<IncidentStore & IncidentListing>]> = [
  ['DynamoDB (dynalite)', async () => new DynamoDbIncidentListing(await createIncidentTable(dynamo.endpoint))],
  ['memory', async () => new MemoryIncidentStore()],
];

describe.each(stores)('%s store', (_name, make) => {
  let store: IncidentStore & IncidentListing;
  beforeEach(async () => {
    store = await make();
  });

  test('a replaced incident is kept under its own id; the alarm\'s current incident is untouched', async () => {
    const current = record({ alarmKey: 'arn:k', incidentId: 'new', version: 5 });
    expect(await store.put(current, undefined)).toBe(true);
    await store.keep(record({ alarmKey: 'arn:k', incidentId: 'old', version: 4, state: 'OK', resolvedAt: 9000 }));
    await store.keep(record({ alarmKey: 'arn:k', incidentId: 'old', version: 4, state: 'OK', resolvedAt: 9000 }));
    expect(await store.get('arn:k')).toEqual(current);
  });

  test('an incident is written only over the version read; it reads back as written', async () => {
    expect(await store.get('arn:x')).toBeUndefined();
    const first = record({ alarmKey: 'arn:x', ts: undefined });
    expect(await store.put(first, undefined)).toBe(true);
    expect(await store.put(first, undefined)).toBe(false); // a second opener loses
    expect(await store.get('arn:x')).toEqual(first);
    const second = { ...first, ts: '1700000000.000100', version: 2 };
    expect(await store.put(second, 1)).toBe(true);
    expect(await store.put({ ...second, state: 'OK', version: 3 }, 1)).toBe(false); // stale writer
    const back = await store.get('arn:x');
    expect(back).toEqual(second);
    // Optional fields come and go with the record.
    const resolved = { ...second, state: 'OK', resolvedAt: 9000, version: 3 };
    expect(await store.put(resolved, 2)).toBe(true);
    expect((await store.get('arn:x'))?.resolvedAt).toBe(9000);
    const { resolvedAt: _r, ...reopened } = { ...resolved, state: 'ALARM', version: 4 };
    expect(await store.put(reopened as IncidentRecord, 3)).toBe(true);
    expect((await store.get('arn:x'))?.resolvedAt).toBeUndefined();
  });

  test('a postmortem is its own item, written only over the version read; it outlives the alarm\'s next incident', async () => {
    const incident = record({ alarmKey: 'arn:x', ts: '1700000000.000100', state: 'OK', resolvedAt: 9000 });
    const due = postmortemRecord(incident);
    expect(await store.getPostmortem('inc-1')).toBeUndefined();
    expect(await store.putPostmortem(due, undefined)).toBe(true);
    expect(await store.putPostmortem(due, undefined)).toBe(false); // asked for once
    expect(await store.getPostmortem('inc-1')).toEqual(due);
    const linked = { ...due, state: 'linked' as const, url: 'https://github.com/acme/ops/blob/main/postmortems/x.md', by: 'U0DANA', at: 9500, version: 2 };
    expect(await store.putPostmortem(linked, 1)).toBe(true);
    expect(await store.putPostmortem({ ...due, state: 'not-needed', version: 2 }, 1)).toBe(false); // the second click lost
    // The alarm's next incident replaces the incident record; the postmortem stays.
    expect(await store.put(record({ alarmKey: 'arn:x', incidentId: 'inc-2' }), undefined)).toBe(true);
    expect(await store.getPostmortem('inc-1')).toEqual(linked);
    expect(JSON.parse((await store.getPostmortem('inc-1'))!.incident)).toEqual(incident);
  });

  test('a transition is claimed by one owner at a time; done is final; a stale or released claim is taken over with its progress', async () => {
    const lease = 60_000;
    expect(await store.claim('t1', 'a', 100_000, lease, 2e9)).toEqual({ kind: 'claimed', posted: false });
    expect(await store.claim('t1', 'b', 100_500, lease, 2e9)).toEqual({ kind: 'busy' });
    expect(await store.claim('t1', 'a', 100_600, lease, 2e9)).toEqual({ kind: 'claimed', posted: false }); // the owner again
    expect(await store.mark('t1', 'b', 'posted')).toBe(false); // not b's
    expect(await store.mark('t1', 'a', 'posted')).toBe(true);
    // a stops (its invocation failed): it releases; b takes over at once and learns the message is out.
    await store.release('t1', 'a');
    expect(await store.claim('t1', 'b', 101_000, lease, 2e9)).toEqual({ kind: 'claimed', posted: true });
    // b dies without releasing: after the lease, c may take it.
    expect(await store.claim('t1', 'c', 101_000 + lease - 1, lease, 2e9)).toEqual({ kind: 'busy' });
    expect(await store.claim('t1', 'c', 101_000 + lease + 1, lease, 2e9)).toEqual({ kind: 'claimed', posted: true });
    expect(await store.mark('t1', 'c', 'done')).toBe(true);
    expect(await store.claim('t1', 'd', 1e12, lease, 2e9)).toEqual({ kind: 'done' });
  });

  test('listIncidents: every alarm\'s current incident, none of the transition claims, across pages of the table', async () => {
    expect(await store.listIncidents()).toEqual([]);
    // Items of about 3 KB: 400 of them take more than one 1 MB page of a scan.
    const note = 'x'.repeat(3000);
    const written = Array.from({ length: 400 }, (_, i) => record({ alarmKey: `arn:alarm-${i}`, alarmName: `Alarm ${i}`, notification: JSON.stringify({ note }) }));
    for (const r of written) expect(await store.put(r, undefined)).toBe(true);
    await store.claim('t-1', 'a', 1, 60_000, 2e9);
    const listed = await store.listIncidents();
    expect(listed.map((r) => r.alarmKey).sort()).toEqual(written.map((r) => r.alarmKey).sort());
    expect(listed.find((r) => r.alarmKey === 'arn:alarm-7')).toEqual(written[7]);
  });
});

test('an unreachable table is an IncidentStoreError naming what failed (never a lost race)', async () => {
  const gone = await startDynalite();
  await gone.close();
  const old = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = gone.endpoint;
  try {
    const store = new DynamoDbIncidentStore('incidents');
    const err = await store.get('arn:x').catch((e) => e);
    expect(err).toBeInstanceOf(IncidentStoreError);
    expect(err.message).toMatch(/^reading the incident: /);
    expect(JSON.stringify(err.message)).not.toContain('test-standin-secret');
  } finally {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = old;
  }
});

test('a table that does not exist is an IncidentStoreError too', async () => {
  const err = await new DynamoDbIncidentStore('no-such-table').put(record(), undefined).catch((e) => e);
  expect(err).toBeInstanceOf(IncidentStoreError);
  expect(err.code).toBe('ResourceNotFoundException');
});

test('the reports read every incident that fired: current and kept, never claims, from a time on', async () => {
  const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const table = await createIncidentTable(dynamo.endpoint);
  const store = new DynamoDbIncidentStore(table);
  await store.put(record({ alarmKey: 'arn:a', incidentId: 'a2', firedAt: 3000 }), undefined);
  await store.put(record({ alarmKey: 'arn:b', incidentId: 'b1', firedAt: undefined }), undefined); // opened by an OK: never fired
  await store.keep(record({ alarmKey: 'arn:a', incidentId: 'a1', firedAt: 1000 }));
  for (let i = 0; i < 30; i++) await store.keep(record({ alarmKey: 'arn:c', incidentId: `c${i}`, firedAt: 2000 + i }));
  await store.claim('t', 'o', 1, 1, 2_000_000_000);
  const client = new DynamoDBClient({});
  try {
    const all = await readIncidents({ client, ScanCommand } as any, table, { segments: 3 });
    expect(all.map((r) => r.incidentId).sort()).toEqual(['a1', 'a2', ...Array.from({ length: 30 }, (_, i) => `c${i}`)].sort());
    expect(all.find((r) => r.incidentId === 'a1')).toEqual(record({ alarmKey: 'arn:a', incidentId: 'a1', firedAt: 1000 }));
    const since = await readIncidents({ client, ScanCommand } as any, table, { since: 2025 });
    expect(since.map((r) => r.incidentId).sort()).toEqual(['a2', 'c25', 'c26', 'c27', 'c28', 'c29']);
  } finally {
    client.destroy();
  }
});
