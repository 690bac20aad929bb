// The Slack app mode's incident table: DynamoDB, on demand, encrypted with its own customer-managed
// key (rotated), point-in-time recovery, TTL; and the least privilege that uses it (get, put and
// update items of this table; the key only through DynamoDB).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { INCIDENT_TABLE } from '../../functions/shared/config';

/** The table and its key. */
export interface IncidentTable {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
}

export function createIncidentTable(scope: Construct, removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN): IncidentTable {
  const key = new kms.Key(scope, 'IncidentKey', {
    description: `Encrypts the incidents of the SlackNotifier ${scope.node.path}`,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    removalPolicy,
  });
  const table = new dynamodb.Table(scope, 'Incidents', {
    partitionKey: { name: INCIDENT_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: INCIDENT_TABLE.ttlAttribute,
    removalPolicy,
  });
  return { table, key };
}

/** Exactly what the function does with the table: read, write and conditionally update items; no scans, no deletes. */
export function grantIncidents(role: iam.IRole, incidents: IncidentTable): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    resources: [incidents.table.tableArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [incidents.key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(role).region}.amazonaws.com` } },
  }));
}
