// The pieces every function of the SlackNotifier is made of: its own role, carrying exactly what
// it does (write its log group, read its secrets and decrypt them through Secrets Manager only,
// use the incident table), and the function itself from one of the prebuilt bundles (Node.js 24,
// arm64), configured only through the typed config.
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FunctionConfig, encodeConfig } from '../../functions/shared/config';
import { HandlerBundleName, handlerBundle } from './handler-bundle';
import { constructError } from './construct-error';
import { IncidentTable, grantIncidents } from './incident-table';

/** A function's role: its log group, its secrets (decrypted through Secrets Manager only), the incident table. */
export function functionRole(scope: Construct, id: string, description: string, logGroup: logs.ILogGroup,
  secrets: readonly secretsmanager.ISecret[], incidents: IncidentTable | undefined): iam.Role {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  if (incidents) grantIncidents(role, incidents);
  for (const secret of secrets) {
    secret.grantRead(role);
    // grantRead puts kms:Decrypt in the key policy of a key in this stack but drops it for an
    // imported key it cannot prove is in this account; say it on the role, for this key only.
    if (secret.encryptionKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
      }));
    }
  }
  return role;
}

/** What a function takes besides its bundle and config. */
export type NotifierFunctionProps = Omit<lambda.FunctionProps, 'runtime' | 'architecture' | 'handler' | 'code' | 'environment'>;

/** Lambda holds 4 KB of environment in all (names and values); a value known only at deploy (an ARN, a name) is counted as this long. */
const ENVIRONMENT_BYTES = 4096;
const DEPLOY_TIME_VALUE = 128;

/** The environment, or a construct error naming what fills it when it would not fit Lambda's 4 KB. */
function environmentOf(scope: Construct, id: string, config: FunctionConfig): Record<string, string> {
  const env = encodeConfig(config);
  const sizes = Object.entries(env).map(([k, v]) => [k, k.length + (Token.isUnresolved(v) ? DEPLOY_TIME_VALUE : Buffer.byteLength(v))] as const);
  const total = sizes.reduce((n, [, b]) => n + b, 0);
  if (total <= ENVIRONMENT_BYTES) return env;
  const biggest = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, b]) => `${k} ${b} bytes`).join(', ');
  throw constructError(`SlackNotifier '${scope.node.path}': the ${id}'s environment would take about ${total} bytes, more than Lambda's ${ENVIRONMENT_BYTES} (${biggest}): ` +
    'use fewer or shorter contact names, user groups instead of many users, fewer rotation members or overrides, or shorter escalation lines');
}

/** A function of the notifier from one of the prebuilt bundles, its environment the encoded config. */
export function notifierFunction(scope: Construct, id: string, bundle: HandlerBundleName, config: FunctionConfig, props: NotifierFunctionProps): lambda.Function {
  const environment = environmentOf(scope, id, config);
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(handlerBundle(bundle).dir),
    memorySize: 256,
    ...props,
    environment,
  });
}
