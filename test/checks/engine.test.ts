// The engine as a validation plugin fails closed: an error that stops it is one fatal violation,
// never the plugin failure the `cdk` CLI turns into a silent success.
import { App } from 'aws-cdk-lib';
import { engineReport } from '../../lib/checks/engine';

test('an error that stops the engine is one fatal violation that the CLI prints whatever it selected, not a plugin failure', () => {
  const app = new App();
  const report = engineReport({ templatePaths: [`${app.outdir}/Svc.template.json`], appConstruct: app } as never);
  expect(report.success).toBe(false);
  expect(report.violations).toEqual([expect.objectContaining({
    ruleName: 'IncidentReadiness-CannotJudge',
    severity: 'fatal',
    description: expect.stringMatching(/^the synth gate could not judge the app in .*: AssemblyReadError: .* is not a cloud assembly/),
    violatingResources: [{ locations: [] }],
  })]);
});
