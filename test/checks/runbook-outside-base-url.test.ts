// A runbook URL outside the configured base URL is said, not silent (IncidentReadiness-RunbookExists
// [OutsideBaseUrl], a warning): a typo in the org name is caught like one inside it; a team that
// keeps runbooks elsewhere acknowledges it once, or lists its hosts in the context.
import { Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Runbook, RunbookAlarm, RunbookPolicy, Severity } from '../../lib';
import { BASE_URL, GATE_FIXTURES, metric, newApp, policyFindings } from '../support/gate';

const TYPO = BASE_URL.replace('/acme/', '/acmee/');

function app(context: Record<string, unknown> = {}) {
  const a = newApp({ context });
  RunbookPolicy.applyTo(a, { projectRoot: GATE_FIXTURES, runbookLint: { now: new Date('2026-11-23') } });
  const alarm = (stack: Stack, id: string, url: string) => new RunbookAlarm(stack, id, {
    metric, threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, severity: Severity.SEV3, owner: 'payments',
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, runbook: Runbook.fromUrl(url, { firstMove: 'Scale out' }),
  });
  const svc = new Stack(a, 'Svc');
  alarm(svc, 'Wiki', 'https://wiki.acme.io/runbooks/backlog');
  alarm(svc, 'Typo', `${TYPO}/runbooks/good.md`);
  const legacy = new Stack(a, 'Legacy');
  alarm(legacy, 'Wiki', 'https://wiki.acme.io/runbooks/legacy');
  Validations.of(legacy).acknowledge({ id: 'IncidentReadiness-RunbookExists[OutsideBaseUrl]', reason: 'this stack\'s runbooks live in the wiki until Q3' });
  return a;
}

const outside = (a: ReturnType<typeof app>) => policyFindings(a).filter((f) => f.ruleId.startsWith('IncidentReadiness-RunbookExists'));

test('each alarm linking outside the base URL warns, naming the base URL (and the near miss); an acknowledgement on the stack silences its alarms', () => {
  const found = outside(app());
  expect(found.map((f) => [f.path, f.level, f.ruleId])).toEqual([
    ['Svc/Wiki/Resource', 'warning', 'IncidentReadiness-RunbookExists[OutsideBaseUrl]'],
    ['Svc/Typo/Resource', 'warning', 'IncidentReadiness-RunbookExists[OutsideBaseUrl]'],
  ]);
  expect(found[1].text).toContain(`outside the base URL ${BASE_URL}: it cannot be checked (did you mean ${BASE_URL}/runbooks/good.md?)`);
});

test('hosts the team lists in the context key are not reported; the typo still is', () => {
  for (const prefixes of [['wiki.acme.io'], 'https://wiki.acme.io/runbooks']) {
    expect(outside(app({ 'cdk-runbook-alarms:runbookUrlPrefixes': prefixes })).map((f) => f.path)).toEqual(['Svc/Typo/Resource']);
  }
});

test('one acknowledgement on the app silences every alarm of it', () => {
  const a = app();
  Validations.of(a).acknowledge({ id: 'IncidentReadiness-RunbookExists[OutsideBaseUrl]', reason: 'runbooks are in the wiki' });
  expect(outside(a)).toEqual([]);
});
