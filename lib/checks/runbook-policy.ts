// RunbookPolicy: the Aspect that makes `cdk synth` fail for any page without a runbook, however
// the alarm was built. Findings are construct annotations (errors fail `cdk synth`); alarms the
// Aspect cannot reach (inside nested Stages, where App Aspects never go) are reported through a
// companion validation plugin, so a plain `cdk synth` fails for them too.
import {
  Annotations,
  AspectPriority,
  Aspects,
  IAspect,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FindingLevel } from '../core/finding';
import { AlarmChecker, CheckedFinding, refusalNote } from './alarm-checker';
import { isAlarmResource } from './construct-alarm-view';
import { RunbookLintOptions } from '../runbook/rules/rule';
import { AlarmFinding, alarmRuleById } from '../alarm-rules';

/** Props of {@link RunbookPolicy}. */
export interface RunbookPolicyProps {
  /**
   * The URL the project root is published under; runbook URLs under it are checked as files
   * (IncidentReadiness-RunbookExists).
   * @default - the CDK context value `cdk-runbook-alarms:runbookBaseUrl`; without one, runbook URLs are not mapped to files
   */
  readonly runbookBaseUrl?: string;
  /** The directory the base URL maps to. @default - the current working directory (where cdk.json is) */
  readonly projectRoot?: string;
  /** Settings of the runbook lint run on linked runbook files. @default - the runbook lint defaults */
  readonly runbookLint?: RunbookLintOptions;
  /** Fail on runbooks past their review date instead of warning. @default false */
  readonly staleRunbookIsError?: boolean;
  /**
   * Also make an in-process `app.synth()` throw on error findings (through the CDK validation
   * report), not only the `cdk` CLI. Annotation errors never make `app.synth()` throw.
   * @default false - in-process callers read the annotations (e.g. `Annotations.fromStack(stack).hasError(...)`)
   */
  readonly throwOnError?: boolean;
}

/** The name of the companion validation plugin in reports. */
export const RUNBOOK_POLICY_PLUGIN_NAME = 'RunbookPolicy';

/**
 * Checks every `AWS::CloudWatch::Alarm` and `AWS::CloudWatch::CompositeAlarm` in its scope
 * against the IncidentReadiness rules: RunbookAlarm, `cloudwatch.Alarm`, `CfnAlarm`, composite
 * alarms, third-party constructs, nested stacks, Stages and `CfnInclude` templates.
 *
 * Add it once, to the app, read-only: `RunbookPolicy.applyTo(app)` or
 * `Aspects.of(app).add(new RunbookPolicy(), { priority: AspectPriority.READONLY })`.
 *
 * Error findings fail `cdk synth`. Acknowledge a finding per construct with
 * `Validations.of(scope).acknowledge({ id, reason })`; `IncidentReadiness-PageRunbook` (its error
 * and its `[CannotVerify]` warning) can never be acknowledged (the attempt is reported with the finding).
 */
export class RunbookPolicy implements IAspect {
  /** Adds a RunbookPolicy to `scope` (usually the app) with AspectPriority.READONLY. */
  public static applyTo(scope: IConstruct, props: RunbookPolicyProps = {}): RunbookPolicy {
    const policy = new RunbookPolicy(props);
    Aspects.of(scope).add(policy, { priority: AspectPriority.READONLY });
    return policy;
  }

  private scope?: IConstruct;
  private checker?: AlarmChecker;
  private readonly visited = new WeakSet<IConstruct>();
  private readonly errorViolations: PolicyViolation[] = [];

  constructor(private readonly props: RunbookPolicyProps = {}) {}

  public visit(node: IConstruct): void {
    if (!this.scope) this.attach(node);
    if (!isAlarmResource(node)) return;
    this.visited.add(node);
    const checker = this.checkerFor(node);
    const view = checker.view(node);
    if (!view) return;
    for (const checked of checker.check(node, view)) {
      if (checked.acknowledged) continue;
      const { finding } = checked;
      const text = annotationText(checked);
      if (finding.level === FindingLevel.ERROR) {
        // Validations.addError keeps the rule id in the report ("Rule Annotation::<id>").
        Validations.of(node).addError(finding.ruleId, text);
        if (this.props.throwOnError) this.errorViolations.push(violationOf(checked, node.node.path));
      } else if (alarmRuleById(finding.ruleId)?.acknowledgeable === false) {
        // A warning of a rule that can never be acknowledged (PageRunbook[CannotVerify]): no
        // acknowledgement id, so CDK's own acknowledgement mechanism cannot drop it either.
        Annotations.of(node).addWarning(text);
      } else {
        Annotations.of(node).addWarningV2(granularId(finding), text);
      }
    }
  }

  /** The first node an Aspect visits is the construct it was added to. */
  private attach(scope: IConstruct): void {
    this.scope = scope;
    // The companion plugin is needed for alarms in nested Stages (Aspects do not reach them) and
    // for throwOnError. Without either, registering it would only add the validation framework's
    // own cost to every synth. Nested Stages all exist by now: they synthesize before the app's Aspects run.
    const nestedStages = scope.node.findAll().some((c) => c !== scope && Stage.isStage(c));
    if (nestedStages || this.props.throwOnError) Validations.of(scope.node.root).addPlugins(new RunbookPolicyPlugin(this));
  }

  private checkerFor(node: IConstruct): AlarmChecker {
    if (!this.checker) this.checker = new AlarmChecker(node.node.root, this.props);
    return this.checker;
  }

  /** @internal what the companion plugin reports */
  public _report(appConstruct: IConstruct): PolicyValidationPluginReport {
    const violations = [...this.errorViolations];
    const scope = this.scope ?? appConstruct;
    const checker = new AlarmChecker(appConstruct, this.props);
    // Alarms the Aspect never saw: App Aspects do not descend into nested Stages.
    for (const node of scope.node.findAll()) {
      if (!isAlarmResource(node) || this.visited.has(node)) continue;
      const view = checker.view(node);
      if (!view) continue;
      for (const checked of checker.check(node, view)) {
        // No construct path: the CLI filters violations by the selected stacks, and a plain
        // `cdk synth` selects none inside a Stage. The path is in the description instead.
        if (!checked.acknowledged) violations.push(violationOf(checked));
      }
    }
    return { success: !violations.some((v) => v.severity !== 'warning'), violations };
  }
}

class RunbookPolicyPlugin implements IPolicyValidationPlugin {
  public readonly name = RUNBOOK_POLICY_PLUGIN_NAME;
  constructor(private readonly policy: RunbookPolicy) {}
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.policy._report(context.appConstruct);
  }
}

/** `RuleId[detail]` for a granular finding, else the rule id. */
function granularId(f: AlarmFinding): string {
  return f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId;
}

function annotationText(checked: CheckedFinding): string {
  const f = checked.finding;
  const named = f.alarm !== f.path ? `alarm "${f.alarm}"` : 'this alarm';
  // A warning without an acknowledgement id names its granular id in the text instead.
  const id = f.level === FindingLevel.WARNING && alarmRuleById(f.ruleId)?.acknowledgeable === false ? granularId(f) : f.ruleId;
  return `${id}: ${named} ${f.message}. Fix: ${f.fix}${checked.refused ? refusalNote(checked.refused) : ''}`;
}

function violationOf(checked: CheckedFinding, constructPath?: string): PolicyViolation {
  const f = checked.finding;
  const named = f.alarm !== f.path ? ` (alarm "${f.alarm}")` : '';
  return {
    ruleName: granularId(f),
    description: `${f.path}${named}: ${f.message}${checked.refused ? refusalNote(checked.refused) : ''}`,
    fix: f.fix,
    // "fatal" is the report level CDK never lets an acknowledgement suppress; a warning of the
    // unacknowledgeable rule stays a warning (a fatal would fail synth).
    severity: f.level === FindingLevel.ERROR && alarmRuleById(f.ruleId)?.acknowledgeable === false ? 'fatal' : f.level,
    violatingResources: [constructPath === undefined ? { locations: ['Properties'] } : { constructPath, locations: ['Properties'] }],
  };
}
