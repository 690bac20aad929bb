// Names shared by the constructs, the checks and the CLI. Pure module: the CLI and the rules
// read them without loading the CDK.

/** The CDK context key that holds the base URL of file runbooks. */
export const RUNBOOK_BASE_URL_CONTEXT = 'cdk-runbook-alarms:runbookBaseUrl';

/** The tag put on topics AlertRouting creates, naming their route; the CLI reads it from templates. */
export const ROUTE_TAG = 'RunbookAlarms:Route';
