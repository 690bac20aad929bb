// Names shared by the constructs, the checks and the CLI. Pure module: the CLI and the rules
// read them without loading the CDK.

/** The CDK context key that holds the base URL of file runbooks. */
export const RUNBOOK_BASE_URL_CONTEXT = 'cdk-runbook-alarms:runbookBaseUrl';

/**
 * The CDK context key listing where else a team keeps runbooks (hosts such as `wiki.acme.com`, or
 * URL prefixes): runbook URLs there are not reported as outside the base URL.
 */
export const RUNBOOK_URL_PREFIXES_CONTEXT = 'cdk-runbook-alarms:runbookUrlPrefixes';

/** The tag put on topics AlertRouting creates, naming their route; the CLI reads it from templates. */
export const ROUTE_TAG = 'RunbookAlarms:Route';

/**
 * The metadata type recording the literal ARN of an imported page topic (one the app routes pages
 * to but does not define, so no template tags it) on the construct that routes to it; the engine
 * reads it from the cloud assembly, at synth and in `lint --assembly` alike.
 */
export const PAGE_TOPIC_ARN_METADATA = 'cdk-runbook-alarms:page-topic-arn';

/**
 * The metadata type of a ServiceLevelObjective's record (lib/slo/objective.ts SloRecord) on its
 * construct: `runbook-alarms budget` finds the SLOs of an app in its cloud assembly by it.
 */
export const SLO_METADATA = 'cdk-runbook-alarms:slo';
