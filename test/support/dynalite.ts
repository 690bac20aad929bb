// dynalite (an implementation of DynamoDB's API on LevelDB, in memory) on 127.0.0.1 as the incident
// table's engine: the function reaches it through AWS_ENDPOINT_URL_DYNAMODB, exactly as it reaches
// DynamoDB, and the table is created with the key schema the SlackNotifier synthesizes (its key
// schema is stated once, INCIDENT_TABLE; test/constructs/slack-notifier.test.ts checks the synthesized table against it).
import { AddressInfo } from 'net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { INCIDENT_TABLE } from '../../lib/functions/shared/config';

// The SDK warns that it will need Node 22 from 2027; the function runs on Node 24, the tests may not.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('http').Server;

export interface Dynalite {
  readonly endpoint: string;
  /** Stops answering (connections refused), as an unreachable table would. */
  close(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the SDK reads from the environment to reach the stand-in (fake credentials: dynalite checks none). */
export function awsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTESTSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'test-standin-secret',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The incident table as the SlackNotifier creates it: its key schema. */
export function incidentTableDefinition(): { KeySchema: any[]; AttributeDefinitions: any[] } {
  return {
    KeySchema: [{ AttributeName: INCIDENT_TABLE.partitionKey, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: INCIDENT_TABLE.partitionKey, AttributeType: 'S' }],
  };
}

let tables = 0;

/** Creates a fresh incident table (shaped like the construct's) and returns its name. */
export async function createIncidentTable(endpoint: string): Promise<string> {
  const name = `incidents-${process.pid}-${++tables}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTESTSTANDIN', secretAccessKey: 'test-standin-secret' } });
  const { KeySchema, AttributeDefinitions } = incidentTableDefinition();
  await client.send(new CreateTableCommand({ TableName: name, KeySchema, AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST' }));
  client.destroy();
  return name;
}
