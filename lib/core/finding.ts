// The shape every rule reports in, whichever front door runs it (Aspect, nag pack, CLI).
// Pure module.

/** How bad a finding is. */
export enum FindingLevel {
  /** Fails synth / lint. */
  ERROR = 'error',
  /** Reported; fails lint only with --strict. */
  WARNING = 'warning',
}

/** A problem one rule found in one runbook file. */
export interface RunbookFinding {
  /** Stable rule id, e.g. `Runbook-Sections`. */
  readonly ruleId: string;
  readonly level: FindingLevel;
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}
