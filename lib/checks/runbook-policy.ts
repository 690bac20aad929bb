// RunbookPolicy: the Aspect that makes `cdk synth` fail for any page without a runbook, however
// the alarm was built. It adds the gate's engine to the app as a validation plugin, which judges
// the synthesized templates — what will deploy — once every Aspect and override has run.
import { AspectPriority, Aspects, IAspect, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { markGated } from '../constructs/private/gate-registry';
import { ENGINE_PLUGIN_NAME, IncidentReadinessOptions, engineReport } from './engine';

/** Props of {@link RunbookPolicy}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a props interface of its own, for jsii and docs
export interface RunbookPolicyProps extends IncidentReadinessOptions {}

// The app each policy attached itself to: added once, however often the Aspect visits.
const ATTACHED = new WeakSet<IConstruct>();

/**
 * Checks every `AWS::CloudWatch::Alarm` and `AWS::CloudWatch::CompositeAlarm` of the app against
 * the IncidentReadiness rules as they will deploy: RunbookAlarm, `cloudwatch.Alarm`, `CfnAlarm`,
 * composite alarms, third-party constructs, raw `CfnResource`s (type overrides included), property
 * overrides, descriptions rewritten by later Aspects, nested stacks, Stages and `CfnInclude` templates.
 *
 * Add it once, to the app: `RunbookPolicy.applyTo(app)` or
 * `Aspects.of(app).add(new RunbookPolicy(), { priority: AspectPriority.READONLY })`.
 *
 * Error findings fail `cdk synth` (and throw from an in-process `app.synth()`), warnings fail it
 * with `--strict`. Acknowledge a finding per construct with `Validations.of(scope).acknowledge({ id, reason })`;
 * `IncidentReadiness-PageRunbook` can never be acknowledged.
 */
export class RunbookPolicy implements IAspect {
  /** Adds a RunbookPolicy to `scope` (usually the app) with AspectPriority.READONLY. */
  public static applyTo(scope: IConstruct, props: RunbookPolicyProps = {}): RunbookPolicy {
    const policy = new RunbookPolicy(props);
    Aspects.of(scope).add(policy, { priority: AspectPriority.READONLY });
    policy.attach(scope);
    return policy;
  }

  private attached = false;

  constructor(private readonly props: RunbookPolicyProps = {}) {}

  public visit(node: IConstruct): void {
    // Aspects visit every construct of the app: after the first, there is nothing to do.
    if (!this.attached) this.attach(node);
  }

  private attach(node: IConstruct): void {
    this.attached = true;
    const app = node.node.root;
    if (ATTACHED.has(app)) return;
    ATTACHED.add(app);
    markGated(app);
    Validations.of(app).addPlugins(new RunbookPolicyPlugin(this.props));
  }
}

/** The engine, under the pack's name: acknowledgement ids are the same whichever front door reported. */
class RunbookPolicyPlugin implements IPolicyValidationPlugin {
  public readonly name = ENGINE_PLUGIN_NAME;
  constructor(private readonly props: RunbookPolicyProps) {}
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return engineReport(context, this.props);
  }
}
