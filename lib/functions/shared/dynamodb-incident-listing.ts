// The incident table, listed: every alarm's current incident in one read of the table (a Scan,
// paged), for the functions that report over incidents (the handoff). Its own module, so the
// bundles that never list carry none of it.
import { IncidentRecord } from './incident';
import { IncidentListing } from './incident-store';
import { DynamoDbIncidentStore, Item, PK, fromItem } from './dynamodb-incident-store';

/** The DynamoDB incident store that also lists its incidents. */
export class DynamoDbIncidentListing extends DynamoDbIncidentStore implements IncidentListing {
  async listIncidents(): Promise<IncidentRecord[]> {
    const out: IncidentRecord[] = [];
    let start: Item | undefined;
    do {
      const page: { Items?: Item[]; LastEvaluatedKey?: Item } = await this.send('reading the incidents', (s) => new s.ScanCommand({
        TableName: this.tableName,
        FilterExpression: 'begins_with(#pk, :incident)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':incident': { S: 'incident#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }), () => ({}));
      for (const item of page.Items ?? []) out.push(fromItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

}
