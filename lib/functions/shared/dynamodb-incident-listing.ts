// The incident table, listed: every incident it holds (./incident-history's Scan), for the functions
// that report over incidents (the handoff). Its own module, so the bundles that never list carry
// none of it.
import { IncidentRecord } from './incident';
import { IncidentListing } from './incident-store';
import { DynamoDbIncidentStore } from './dynamodb-incident-store';
import { ScanSdk, readIncidents } from './incident-history';
import { SHORT_CALLS, lazySdk } from './runtime';

/** The DynamoDB incident store that also lists its incidents (current and replaced, as stored). */
export class DynamoDbIncidentListing extends DynamoDbIncidentStore implements IncidentListing {
  private readonly scan = lazySdk('@aws-sdk/client-dynamodb', (m: typeof import('@aws-sdk/client-dynamodb')): ScanSdk => ({
    client: new m.DynamoDBClient(SHORT_CALLS) as unknown as ScanSdk['client'],
    ScanCommand: m.ScanCommand as unknown as ScanSdk['ScanCommand'],
  }));

  async listIncidents(): Promise<IncidentRecord[]> {
    return readIncidents(await this.scan(), this.tableName);
  }
}
