// IncidentReadinessChecks: the alarm rules of SPEC §7 as a cdk-nag v3 pack. The pack only
// assembles rules (lib/rules/); its findings land in the cloud assembly's validation report.
import { CfnResource, PolicyValidationPluginReport, PolicyViolation, Stage } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { FindingLevel } from '../core/finding';
import { AlarmChecker, CheckedFinding, refusalNote } from './alarm-checker';
import { isAlarmResource } from './construct-alarm-view';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { ALARM_RULES, AlarmRule, PACK_NAME } from '../alarm-rules';

/** Props of {@link IncidentReadinessChecks}. */
export interface IncidentReadinessChecksProps extends NagPackProps {
  /**
   * The URL the project root is published under; runbook URLs under it are checked as files.
   * @default - the CDK context value `cdk-runbook-alarms:runbookBaseUrl`
   */
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. @default - the current working directory */
  readonly projectRoot?: string;
  /** Settings of the runbook lint run on linked runbook files. @default - the runbook lint defaults */
  readonly runbookLint?: RunbookLintOptions;
  /** Fail on runbooks past their review date instead of warning. @default false */
  readonly staleRunbookIsError?: boolean;
}

function nagLevel(level: FindingLevel): NagMessageLevel {
  return level === FindingLevel.ERROR ? NagMessageLevel.ERROR : NagMessageLevel.WARN;
}

/**
 * The IncidentReadiness rules as a cdk-nag v3 pack:
 * `Validations.of(app).addPlugins(new IncidentReadinessChecks(app))`.
 *
 * Differences from a stock cdk-nag pack, both deliberate: warnings do not fail synth (only
 * errors do), and `IncidentReadiness-PageRunbook` is reported at the report's `fatal` level,
 * which no acknowledgement can suppress (its `[CannotVerify]` warning stays a warning, and an
 * acknowledgement of it is refused).
 */
export class IncidentReadinessChecks extends NagPack {
  public readonly name = PACK_NAME;
  public readonly ruleIds: string[] = ALARM_RULES.map((r) => r.id);
  private readonly settings: IncidentReadinessChecksProps;
  private checker?: AlarmChecker;
  private unacknowledgeable: PolicyViolation[] = [];
  private inNestedStages = new Set<string>();

  constructor(scope?: IConstruct, props: IncidentReadinessChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.settings = props;
  }

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.checker = new AlarmChecker(scope.node.root, this.settings);
    this.unacknowledgeable = [];
    this.inNestedStages = new Set();
    const report = super.validateScope(scope);
    const violations = unfilterStageErrors([...report.violations, ...this.unacknowledgeable], this.inNestedStages);
    this.checker = undefined;
    return { success: !violations.some((v) => v.severity === 'error' || v.severity === 'fatal'), violations };
  }

  protected checkResource(node: CfnResource): void {
    if (!isAlarmResource(node)) return;
    const checker = this.checker ?? new AlarmChecker(node.node.root, this.settings);
    const view = checker.view(node);
    if (!view) return;
    if (Stage.of(node) !== node.node.root) this.inNestedStages.add(node.node.path);
    const findings = checker.check(node, view);
    for (const rule of ALARM_RULES) {
      const mine = findings.filter((c) => c.finding.ruleId === rule.id);
      if (!rule.acknowledgeable) {
        for (const c of mine) this.addUnacknowledgeable(rule, c, node);
        continue;
      }
      // cdk-nag v3 reports only violations, so a compliant rule needs no applyRule (5,000 alarms × 10 rules).
      if (mine.some((c) => c.finding.detail === undefined && !c.acknowledged)) this.apply(rule, node, rule.level, NagRuleCompliance.NON_COMPLIANT);
      // Variants at another level (CannotVerify, Stale) are cdk-nag's granular `RuleId[detail]` findings.
      for (const c of mine) {
        if (c.finding.detail !== undefined && !c.acknowledged) this.apply(rule, node, c.finding.level, [c.finding.detail]);
      }
    }
  }

  private apply(rule: AlarmRule, node: CfnResource, level: FindingLevel, result: NagRuleCompliance | string[]): void {
    this.applyRule({
      ruleSuffixOverride: rule.id.slice(PACK_NAME.length + 1),
      info: `${rule.description}.`,
      explanation: rule.explanation,
      level: nagLevel(level),
      node,
      rule: () => result,
    });
  }

  private addUnacknowledgeable(rule: AlarmRule, checked: CheckedFinding, node: CfnResource): void {
    const f = checked.finding;
    const warning = f.level === FindingLevel.WARNING;
    const ruleName = f.detail === undefined ? rule.id : `${rule.id}[${f.detail}]`;
    // An error is "fatal", the report level CDK never lets an acknowledgement suppress. A warning
    // stays a warning (a fatal would fail synth), and CDK would suppress a warning whose id was
    // acknowledged at its construct path or above: when we refused such an acknowledgement, the
    // path goes into the description instead of the resource, out of that acknowledgement's reach.
    const severity = warning ? 'warning' : 'fatal';
    const what = warning ? `${rule.description}: ${f.message}.` : `${rule.description}.`;
    const hidePath = warning && checked.refused !== undefined;
    const description = `${hidePath ? `${node.node.path}: ` : ''}${what}${checked.refused ? refusalNote(checked.refused) : ''}`;
    const resource = hidePath
      ? { locations: ['Properties/AlarmDescription'] }
      : { constructPath: node.node.path, locations: ['Properties/AlarmDescription'] };
    const existing = this.unacknowledgeable.find((v) => v.ruleName === ruleName && v.severity === severity && v.description === description);
    if (existing) {
      existing.violatingResources.push(resource);
    } else {
      this.unacknowledgeable.push({ ruleName, description, fix: f.fix, severity, violatingResources: [resource] });
    }
  }
}

/**
 * The `cdk` CLI keeps only violations of the stacks it selected, and a plain `cdk synth` selects
 * none inside a nested Stage. Errors there are re-reported without a construct path (the path
 * goes into the description), so they fail a plain `cdk synth` too.
 */
function unfilterStageErrors(violations: PolicyViolation[], inNestedStages: Set<string>): PolicyViolation[] {
  if (inNestedStages.size === 0) return violations;
  const out: PolicyViolation[] = [];
  for (const v of violations) {
    const blocking = v.severity === 'error' || v.severity === 'fatal';
    const hidden = blocking ? v.violatingResources.filter((r) => r.constructPath !== undefined && inNestedStages.has(r.constructPath)) : [];
    const kept = v.violatingResources.filter((r) => !hidden.includes(r));
    if (kept.length > 0) out.push({ ...v, violatingResources: kept });
    for (const r of hidden) {
      out.push({ ...v, description: `${r.constructPath}: ${v.description}`, violatingResources: [{ locations: r.locations }] });
    }
  }
  return out;
}
