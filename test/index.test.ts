// The public API is docs/design/public-api.md and the types its signatures need; nothing else can be imported.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as api from '../lib';

const ROOT = path.join(__dirname, '..');

test('the package root exports exactly the docs/design/public-api.md names (runtime values)', () => {
  expect(Object.keys(api).sort()).toEqual([
    'AlarmContractCodec',
    'AlarmContractTooLongError',
    'AlertRouting',
    'BurnRateAlert',
    'EscalationPolicyError',
    'IncidentReadinessChecks',
    'OnCallDashboard',
    'Route',
    'Runbook',
    'RunbookAlarm',
    'RunbookAlarmActionStrategy',
    'RunbookCompositeAlarm',
    'RunbookError',
    'RunbookPolicy',
    'ServiceLevelObjective',
    'Severity',
    'SlackMessageFormatter',
    'SlackNotifier',
    'SloIndicator',
    'parseAlarmContract',
    'parseAlarmNotification',
    'renderAlarmContract',
    'renderSlackMessage',
  ]);
});

test('the codec and the formatter are static classes too (jsii), with the functions as aliases', () => {
  const description = api.AlarmContractCodec.render({ severity: api.Severity.SEV3, summary: 'Disk filling' });
  expect(description).toBe(api.renderAlarmContract({ severity: api.Severity.SEV3, summary: 'Disk filling' }));
  expect(api.AlarmContractCodec.parse(description)).toEqual(api.parseAlarmContract(description));
  const message = JSON.stringify({ AlarmName: 'x', NewStateValue: 'ALARM', AlarmDescription: description });
  const notification = api.SlackMessageFormatter.parseNotification(message);
  expect(notification).toEqual(api.parseAlarmNotification(message));
  expect(api.SlackMessageFormatter.render(notification)).toEqual(api.renderSlackMessage(notification));
});

test('loading the package never loads cdk-monitoring-constructs (an optional peer, typed structurally)', () => {
  const script = `require(${JSON.stringify(path.join(ROOT, 'dist', 'lib'))});
    process.stdout.write(String(Object.keys(require.cache).filter((f) => f.includes('cdk-monitoring-constructs')).length));`;
  expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('0');
});

describe('the exports map', () => {
  let dir: string;
  beforeAll(() => {
    // A consumer project with this package installed (as a link), resolving as Node does.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exports-map-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk-runbook-alarms'), 'dir');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const resolveIn = (specifier: string): string =>
    execFileSync(process.execPath, ['-e', `process.stdout.write(require.resolve(${JSON.stringify(specifier)}))`], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });

  test('the root resolves to the built library', () => {
    expect(fs.realpathSync(resolveIn('cdk-runbook-alarms'))).toBe(path.join(ROOT, 'dist', 'lib', 'index.js'));
  });

  test.each(['cdk-runbook-alarms/dist/lib/core/contract', 'cdk-runbook-alarms/dist/lib/alarm-rules', 'cdk-runbook-alarms/lib/core/severity'])(
    'an internal module cannot be deep-imported: %s', (specifier) => {
      expect(() => resolveIn(specifier)).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/);
    });
});
