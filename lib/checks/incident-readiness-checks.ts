// IncidentReadinessChecks: the alarm rules of docs/design/rules.md#alarm-rules as a cdk-nag v3 pack. The pack assembles the
// rules of lib/alarm-rules and runs them with the gate's one engine on the synthesized templates.
import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ALARM_RULES, PACK_NAME } from '../alarm-rules';
import { markGated } from '../constructs/private/gate-registry';
import { IncidentReadinessOptions, engineReport } from './engine';

/** Props of {@link IncidentReadinessChecks}. */
export interface IncidentReadinessChecksProps extends NagPackProps, IncidentReadinessOptions {}

/**
 * The IncidentReadiness rules as a cdk-nag v3 pack:
 * `Validations.of(app).addPlugins(new IncidentReadinessChecks(app))`.
 *
 * It judges what deploys: the templates the app has just written (after every Aspect and
 * override), not construct-time values. Differences from a stock cdk-nag pack, deliberate:
 * warnings do not fail synth (only errors do), and `IncidentReadiness-PageRunbook` is reported at
 * the report's `fatal` level, which no acknowledgement can suppress. With RunbookPolicy on too,
 * each problem is reported once.
 */
export class IncidentReadinessChecks extends NagPack {
  public readonly name = PACK_NAME;
  public readonly ruleIds: string[] = ALARM_RULES.map((r) => r.id);
  private readonly settings: IncidentReadinessChecksProps;

  constructor(scope?: IConstruct, props: IncidentReadinessChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.settings = props;
    if (scope) markGated(scope);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    markGated(context.appConstruct);
    return engineReport(context, this.settings);
  }

  /** Not used: the engine reads the synthesized templates, not the construct tree. */
  protected checkResource(_node: CfnResource): void {}
}
