// Severity levels and the policy that decides which of them page a human (docs/design/severity.md).
// Pure module: the Lambda handler and the CLI import it, so it must never import the CDK.

/** How bad an alarm is when it fires. */
export enum Severity {
  /** Full outage, data loss or money wrong: immediate page, incident commander. */
  SEV1 = 'SEV1',
  /** A major function seriously degraded: page within minutes. */
  SEV2 = 'SEV2',
  /** Limited impact, a workaround exists: business hours, channel notification. */
  SEV3 = 'SEV3',
  /** No user impact, internal: next business day, ticket. */
  SEV4 = 'SEV4',
}

/** Where an alarm of a given severity is sent. */
export enum Route {
  /** Wake someone up (pager). */
  PAGE = 'page',
  /** Post to a channel; nobody is paged. */
  NOTIFY = 'notify',
  /** Open a ticket for the next business day. */
  TICKET = 'ticket',
}

// `(?:-\s*)?` rather than `-?\s*`: two adjacent `\s*` backtrack quadratically over a run of spaces.
const SEVERITY_PATTERN = /^sev\s*(?:-\s*)?([1-4])$/i;

// The policy as plain functions, defined once; SeverityPolicy (the public, jsii-friendly face)
// delegates to them. The Lambda bundles import these, so they carry only what they use (a class
// is bundled whole, with every static member).

/** All severities, most severe first. */
export const SEVERITIES: readonly Severity[] = [Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4];

/**
 * How fast a person is expected to start on an alarm of each severity (SPEC §4's Response column,
 * in the SRE guide's numbers), as every page shows it; an escalation policy's `respond_within` overrides it.
 */
export const RESPONSE_TARGETS: Readonly<Record<Severity, string>> = {
  [Severity.SEV1]: 'immediately (within 5 min)',
  [Severity.SEV2]: 'within minutes (30 min at most)',
  [Severity.SEV3]: 'during business hours',
  [Severity.SEV4]: 'next business day',
};

/** The response targets in minutes, where the severity table gives a number (SEV1 5, SEV2 30). */
export const RESPONSE_MINUTES: Readonly<Partial<Record<Severity, number>>> = { [Severity.SEV1]: 5, [Severity.SEV2]: 30 };

/** True for the severities that page by default (SEV1, SEV2). */
export function isPageSeverity(severity: Severity | undefined): boolean {
  return severity === Severity.SEV1 || severity === Severity.SEV2;
}

/** {@link SeverityPolicy.isPageAlarm}. */
export function isPageAlarm(severity: Severity | undefined, reachesPageRoute: boolean): boolean {
  return reachesPageRoute || isPageSeverity(severity);
}

/** {@link SeverityPolicy.parse}. */
export function parseSeverity(text: string | undefined): Severity | undefined {
  if (typeof text !== 'string') return undefined;
  const m = SEVERITY_PATTERN.exec(text.trim());
  return m ? (`SEV${m[1]}` as Severity) : undefined;
}

/** The severity policy of docs/design/severity.md, as static functions (jsii-friendly). */
export class SeverityPolicy {
  /** All severities, most severe first. */
  public static readonly ALL: Severity[] = SEVERITIES as Severity[];

  /** True for the severities that page by default (SEV1, SEV2). */
  public static isPage(severity: Severity): boolean {
    return isPageSeverity(severity);
  }

  /**
   * The one definition of a page (docs/design/severity.md#what-a-page-is): an alarm of SEV1 or SEV2, or any alarm whose actions
   * reach a paging route, whatever its severity (or when it has none).
   */
  public static isPageAlarm(severity: Severity | undefined, reachesPageRoute: boolean): boolean {
    return isPageAlarm(severity, reachesPageRoute);
  }

  /** The route a severity takes when nothing else is configured. */
  public static defaultRoute(severity: Severity): Route {
    switch (severity) {
      case Severity.SEV1:
      case Severity.SEV2:
        return Route.PAGE;
      case Severity.SEV3:
        return Route.NOTIFY;
      default:
        return Route.TICKET;
    }
  }

  /**
   * Reads a severity written by a person or another tool: `SEV2`, `sev2`, `Sev 2`, `SEV-2`.
   * Returns undefined for anything else (`P1`, `SEV5`, `critical`).
   */
  public static parse(text: string | undefined): Severity | undefined {
    return parseSeverity(text);
  }
}
