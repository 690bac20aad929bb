// End to end: the real `cdk` CLI, in subprocesses, on small fixture apps and on the example app.
// Each failing app must exit non-zero and name the construct path and the rule id.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkEnvironment, exampleSynth } from '../support/synth';

const CDK = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');
const APPS = path.join(__dirname, '..', 'fixtures', 'gate', 'apps');

interface SynthResult {
  readonly code: number | null;
  readonly output: string;
  readonly outdir: string;
}

/** `cdk synth` as a user would run it (see cdkEnvironment). */
function cdkSynth(app: string, cwd: string, extra: string[] = []): Promise<SynthResult> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-'));
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, ['synth', '--quiet', '--no-notices', ...extra, '--app', app, '--output', outdir], { cwd, env: cdkEnvironment() });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, outdir }));
  });
}

const FIXTURES = ['raw-alarm', 'sev1-cfn-alarm', 'composite-page', 'nested-stack', 'stage', 'clean', 'case-contract', 'case-deploys', 'case-links-acks',
  'monitoring-facade', 'monitoring-sev1'] as const;
const results = new Map<string, SynthResult>();
let cwd: string;
/** A directory with the project's cdk.json (`cdk init`'s feature flags: weak cross-stack references among them). */
let initCwd: string;
const PROJECT_CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context as Record<string, unknown>;

beforeAll(async () => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-cwd-'));
  const runs = FIXTURES.map(async (name) => {
    results.set(name, await cdkSynth(`node ${path.join(APPS, `${name}.js`)}`, cwd));
  });
  runs.push(cdkSynth(`node ${path.join(APPS, 'case-strict.js')}`, cwd, ['--strict']).then((r) => void results.set('case-strict', r)));
  // Two stacks selected by name, as a user deploying part of an app does (the Stage is never selected).
  runs.push(cdkSynth(`node ${path.join(APPS, 'case-forms.js')}`, cwd, ['Forms', 'Contract']).then((r) => void results.set('case-forms', r)));
  // The project's cdk.json, the fixtures' base URL in it.
  initCwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-init-'));
  fs.writeFileSync(path.join(initCwd, 'cdk.json'), JSON.stringify({ context: { ...PROJECT_CONTEXT, 'cdk-runbook-alarms:runbookBaseUrl': 'https://github.com/acme/ops/blob/main' } }));
  // Only a compliant stack selected: what fails elsewhere must still be printed and fail the synth.
  runs.push(cdkSynth(`node ${path.join(APPS, 'case-evaluator.js')}`, initCwd, ['Quiet']).then((r) => void results.set('case-evaluator', r)));
  await Promise.all(runs);
}, 300_000);

afterAll(() => {
  // The example app's assembly belongs to the global setup, which removes it.
  for (const r of results.values()) fs.rmSync(r.outdir, { recursive: true, force: true });
  for (const dir of [cwd, initCwd]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function failed(name: string): string {
  const r = results.get(name)!;
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  return r.output;
}

describe('cdk synth with the synth gate (real CLI)', () => {
  test('a raw alarm with no severity fails with its path and IncidentReadiness-AlarmSeverity', () => {
    const out = failed('raw-alarm');
    expect(out).toMatch(/Orders\/QueueDepth\/Resource/);
    expect(out).toMatch(/ERROR Orders\/QueueDepth\/Resource: alarm "QueueDepth[0-9A-F]{8}" has no description, so no severity/);
    expect(out).toMatch(/Acknowledge with 'IncidentReadiness::IncidentReadiness-AlarmSeverity'/);
  });

  test('a SEV1 CfnAlarm without runbook fails, reported once, in the pack report', () => {
    const r = results.get('sev1-cfn-alarm')!;
    const out = failed('sev1-cfn-alarm');
    expect(out).toMatch(/Checkout\/PaymentsDown/);
    expect(out).toMatch(/FATAL Checkout\/PaymentsDown[^:]*: alarm "checkout-payments-down" is a page \(SEV1\) and has no runbook URL/);
    expect(out).toMatch(/Rule IncidentReadiness::IncidentReadiness-PageRunbook/);
    // Both front doors are on: the problem is printed once.
    expect(out.match(/is a page \(SEV1\) and has no runbook URL/g)).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(r.outdir, 'validation-report.json'), 'utf8'));
    const pack = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'IncidentReadiness');
    expect(pack.conclusion).toBe('failure');
    expect(pack.violations.map((v: { ruleName: string }) => v.ruleName)).toContain('IncidentReadiness-PageRunbook');
  });

  test('a composite page (routed to the page topic) without runbook fails', () => {
    const out = failed('composite-page');
    expect(out).toMatch(/Search\/SearchDown\/Resource/);
    expect(out).toMatch(/FATAL Search\/SearchDown\/Resource: alarm "[^"]+" is a page \(its actions reach a page topic\)/);
  });

  test('an alarm in a nested stack fails', () => {
    const out = failed('nested-stack');
    expect(out).toMatch(/Platform\/Database\/ReplicaLag/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook/);
  });

  test('an alarm in a Stage fails a plain `cdk synth` (no stack selected)', () => {
    const out = failed('stage');
    expect(out).toMatch(/Prod\/Api\/ApiDown[^\n]*is a page \(SEV1\) and has no runbook URL/);
    expect(out).toMatch(/IncidentReadiness-PageRunbook/);
  });

  test('a compliant app (top level and in a Stage) exits 0', () => {
    const r = results.get('clean')!;
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
  });

  test('a cdk-monitoring-constructs MonitoringFacade whose alarms carry RunbookAlarmActionStrategy exits 0', () => {
    const r = results.get('monitoring-facade')!;
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
    const template = JSON.parse(fs.readFileSync(path.join(r.outdir, 'Payments.template.json'), 'utf8'));
    const descriptions = Object.values(template.Resources as Record<string, any>).filter((x) => x.Type === 'AWS::CloudWatch::Alarm').map((x) => x.Properties.AlarmDescription).sort();
    expect(descriptions).toEqual([
      'Age of the oldest message in the queue is too high.\n\nSeverity: SEV3\nFirst move: Look at the consumer logs\nOwner: payments',
      // The documentationLink stays as generated: no escape for a person to puzzle over in the console.
      expect.stringMatching(/^Number of messages in the queue is too high\.\nDocumentation: https:\/\/wiki\.acme\.dev\/payments\/webhooks\n\nSeverity: SEV2\nRunbook: https:\/\/github\.com\/acme\/ops\/blob\/main\/runbooks\/good\.md\nFirst move: /),
    ]);
    expect(descriptions.join('\n')).not.toContain('\\');
  });

  test('a cdk-monitoring-constructs alarm marked "SEV1: ..." without runbook fails, reported once, in the pack report', () => {
    const r = results.get('monitoring-sev1')!;
    const out = failed('monitoring-sev1');
    expect(out).toMatch(/Checkout\/Monitoring\/Checkout-orders-Queue-Message-Count-Max-Critical/);
    expect(out).toMatch(/FATAL Checkout\/Monitoring\/[^:]*: alarm "Checkout-orders-Queue-Message-Count-Max-Critical" is a page \(SEV1\) and has no runbook URL/);
    expect(out).toMatch(/Rule IncidentReadiness::IncidentReadiness-PageRunbook/);
    const report = JSON.parse(fs.readFileSync(path.join(r.outdir, 'validation-report.json'), 'utf8'));
    const pack = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'IncidentReadiness');
    expect(pack.violations.map((v: { ruleName: string }) => v.ruleName)).toContain('IncidentReadiness-PageRunbook');
  });

  test('the example app (from the repository root with its cdk.json: ts-node, feature flags, base URL) exits 0 with no error finding', () => {
    const r = exampleSynth();
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
    expect(r.output).not.toMatch(/IncidentReadiness-\w+/);
  });

  /**
   * The violation blocks of a synth's output, one per finding: level, text (the construct path leads
   * it: `Stack/Alarm: alarm "name" ...`) and the block, its text line included.
   */
  function blocks(name: string): Array<{ level: string; text: string; body: string }> {
    const out = results.get(name)!.output;
    return [...out.matchAll(/^(FATAL|ERROR|WARNING) (.*) \(IncidentReadiness\)\n((?: {3}.*\n?)*)/gm)].map((m) => ({ level: m[1], text: m[2], body: `${m[2]}\n${m[3]}` }));
  }
  const about = (name: string, alarm: string) => blocks(name).filter((b) => b.text.includes(`"${alarm}"`) || b.text.startsWith(`${alarm}/`));

  describe('the contract is read the way people write it (issue 10, item 1)', () => {
    test('a Severity line first, the summary after: the SEV1 page without runbook fails, AlarmSeverity acknowledged or not', () => {
      failed('case-contract');
      expect(about('case-contract', 'SeverityFirst-alarm').map((b) => `${b.level} ${b.text}`)).toEqual([
        expect.stringMatching(/^FATAL [^:]+: alarm "SeverityFirst-alarm" is a page \(SEV1\) and has no runbook URL in its description$/),
      ]);
    });

    test('blank lines between contract lines, and a "SEV2: summary" first line, are compliant', () => {
      expect(about('case-contract', 'BlankLines-alarm')).toEqual([]);
      expect(about('case-contract', 'SeverityPrefix-alarm')).toEqual([]);
    });

    test('two different severities are an error naming both lines, and the page is judged as the more severe', () => {
      const found = about('case-contract', 'TwoSeverities-alarm');
      expect(found.map((b) => b.level).sort()).toEqual(['ERROR', 'FATAL']);
      expect(found.find((b) => b.level === 'ERROR')!.text).toMatch(/gives two different severities: line 1 \(`Severity: SEV4`\) and line 4 \(`Severity: SEV1`\)/);
      expect(found.find((b) => b.level === 'FATAL')!.text).toMatch(/is a page \(SEV1\) and has no runbook URL/);
    });
  });

  describe('what deploys is what is judged (issue 10, item 2)', () => {
    test.each([
      ['a CfnResource whose type is overridden to an alarm', 'TypeOverride/Disguised', /is a page \(SEV1\)/],
      ['a CfnAlarm subclass whose rendered description differs from its props', 'Subclass/Loud', /is a page \(SEV1\)/],
      ['an Aspect after READONLY that rewrites the description', 'LateAspect/Rewritten', /is a page \(SEV1\)/],
      ['a raw SNS topic tagged as the page route, as the action', 'RawPageTopic/Quiet', /is a page \(its actions reach a page topic\)/],
      ['an imported (Fn::ImportValue) page-topic ARN as the action', 'Importer/Imported', /is a page \(its actions reach a page topic\)/],
    ])('%s fails PageRunbook', (_what, constructPath, reason) => {
      failed('case-deploys');
      const pageRunbook = blocks('case-deploys').filter((b) => b.body.includes(constructPath) && b.body.includes('IncidentReadiness::IncidentReadiness-PageRunbook'));
      expect(pageRunbook.map((b) => b.level)).toEqual(['FATAL']);
      expect(pageRunbook[0].text).toMatch(reason);
    });
  });

  describe('runbook links, acknowledgements and reporting (issue 10, items 3-5)', () => {
    test.each(['SchemeCase-alarm', 'HostCase-alarm'])('%s: a runbook URL under the base URL in another case links a missing file and fails', (alarm) => {
      failed('case-links-acks');
      expect(about('case-links-acks', alarm).map((b) => `${b.level} ${b.text}`)).toEqual([
        expect.stringMatching(/^ERROR [^:]+: alarm "[^"]+" links runbook .*, but runbooks\/missing\.md does not exist under /),
      ]);
    });

    test('a runbook URL naming a directory says so', () => {
      expect(about('case-links-acks', 'Directory-alarm').map((b) => b.text)).toEqual([expect.stringMatching(/runbooks\/archive is a directory, not a runbook file$/)]);
    });

    test('an acknowledgement without a reason is refused with an error that says so', () => {
      const [b, ...rest] = about('case-links-acks', 'EmptyReason-alarm');
      expect(rest).toEqual([]);
      expect(b.level).toBe('FATAL');
      expect(b.text).toMatch(/does not set TreatMissingData.*acknowledgement of IncidentReadiness-MissingData on EmptyReason\/Alarm was refused: it gives no reason/);
    });

    test('a generic acknowledgement id does not silence a page that cannot be verified, and no acknowledgement id is offered for it', () => {
      const found = blocks('case-links-acks').filter((b) => b.body.includes('GenericAck/Imported') && b.body.includes('PageRunbook'));
      expect(found.map((b) => b.level)).toEqual(['FATAL']);
      expect(found[0].body).toMatch(/Rule IncidentReadiness::IncidentReadiness-PageRunbook\[CannotVerify\]/);
      expect(found[0].body).not.toMatch(/Acknowledge with/);
    });

    test('under --strict too, no acknowledgement (generic, namespaced or plain) silences a page that cannot be verified, and no id is offered', () => {
      failed('case-strict');
      const found = blocks('case-strict').filter((b) => b.body.includes('Strict/Shared') && b.body.includes('PageRunbook'));
      expect(found.map((b) => b.level)).toEqual(['FATAL']);
      expect(found[0].text).toMatch(/acknowledgement of IncidentReadiness-PageRunbook.* on Strict was refused: this rule can never be acknowledged/);
      expect(found[0].body).not.toMatch(/Acknowledge with/);
      // The acknowledgeable sibling was acknowledged, with a reason: it is gone.
      expect(blocks('case-strict').filter((b) => b.body.includes('AlarmSeverity'))).toEqual([]);
    });

    test('a runbook URL outside the base URL (an org name mistyped) is one warning naming the base URL, with its acknowledgement id', () => {
      const found = about('case-links-acks', 'Typo-alarm');
      expect(found.map((b) => `${b.level} ${b.text}`)).toEqual([
        'WARNING Typo/Alarm: alarm "Typo-alarm" links runbook https://github.com/acmee/ops/blob/main/runbooks/good.md, outside the base URL https://github.com/acme/ops/blob/main: ' +
          'it cannot be checked (did you mean https://github.com/acme/ops/blob/main/runbooks/good.md?)',
      ]);
      expect(found[0].body).toContain("Acknowledge with 'IncidentReadiness::IncidentReadiness-RunbookExists[OutsideBaseUrl]'");
    });

    test('a stale runbook is one warning with one acknowledgement id and no stray characters', () => {
      const out = results.get('case-links-acks')!.output;
      const stale = blocks('case-links-acks').filter((b) => b.body.includes('Stale/Backlog'));
      expect(stale.map((b) => b.level)).toEqual(['WARNING']);
      expect(stale[0].text).toMatch(/links runbook runbooks\/stale\.md, which is past its review date: last_updated 2026-01-02 is \d+ days old; SEV2 runbooks must be reviewed every 90 days$/);
      expect(stale[0].body.match(/Acknowledge with '([^']+)'/g)).toEqual(["Acknowledge with 'IncidentReadiness::IncidentReadiness-RunbookExists[Stale]'"]);
      expect(blocks('case-links-acks').filter((b) => `${b.text}${b.body}`.includes('stale.md'))).toHaveLength(1);
      expect(out).not.toMatch(/cdk-runbook-alarms:runbook\b/); // the annotation id (not the context keys a fix may name)
      expect(out).not.toMatch(/error Runbook-Stale/);
    });
  });

  describe('other forms of the same classes (second pass; `cdk synth Forms Contract`)', () => {
    /** The FATAL PageRunbook blocks of case-forms naming the alarm. */
    const fatal = (alarm: string) => about('case-forms', alarm).filter((b) => b.body.includes('IncidentReadiness::IncidentReadiness-PageRunbook'));

    test.each([
      ['SubOfTopic', 'Fn::Sub of the page topic'],
      ['SubOfName', "Fn::Sub of pseudo parameters and the page topic's name"],
      ['LiteralArn', 'a hand-written ARN of the page topic the app names'],
      ['IfItem', 'Fn::If choosing the page topic'],
      ['IfList', 'Fn::If choosing the whole action list, set with addPropertyOverride'],
      ['ParamDefault', "a parameter whose default is the page topic's ARN"],
      ['LowerType', 'an alarm type overridden to lower case'],
      ['NestedSub', 'a nested stack reaching the parent\'s page topic through Fn::Sub'],
      ['NestedTopic', 'the parent reaching a nested stack\'s page topic through its output'],
    ])('%s (%s) is a page without runbook: FATAL, the acknowledgement on its stack refused', (alarm) => {
      failed('case-forms');
      const [b, ...rest] = fatal(alarm);
      expect(rest).toEqual([]);
      expect(b.level).toBe('FATAL');
      expect(b.text).toMatch(/is a page \(its actions reach a page topic\) and has no runbook URL in its description \(the acknowledgement of IncidentReadiness-PageRunbook on Forms was refused: this rule can never be acknowledged/);
      expect(b.body).toContain(`Forms/${alarm === 'NestedSub' ? 'Child/' : ''}${alarm}`);
    });

    test.each([
      ['MarkdownBeside', '"**Severity:** SEV1" beside a "Severity: SEV3" line', /is a page \(SEV1\) and has no runbook URL/],
      ['BracketFirst', 'a "[SEV1] summary" first line beside a "Severity: SEV3" line', /is a page \(SEV1\) and has no runbook URL/],
      ['ZeroWidth', 'a zero-width space inside the key', /is a page \(SEV1\) and has no runbook URL/],
      ['NotASeverity', '"Severity: P1"', /gives severity "P1", which is none of SEV1, SEV2, SEV3, SEV4, so whether it is a page cannot be verified, and it has no runbook URL/],
      ['DashForColon', '"Severity - SEV1"', /names SEV1 but gives no severity in a form that can be read, so whether it is a page cannot be verified/],
      ['JoinedSev1', 'a "Severity: SEV1" line before a reference in a template-literal description', /is a page \(SEV1\) and has no runbook URL/],
    ])('%s (%s), every acknowledgeable rule acknowledged: FATAL PageRunbook, the app\'s acknowledgement of it refused', (alarm, _what, message) => {
      failed('case-forms');
      const found = about('case-forms', alarm);
      expect(found.map((b) => b.level)).toEqual(['FATAL']);
      expect(found[0].text).toMatch(message);
      expect(found[0].text).toMatch(/acknowledgement of IncidentReadiness-PageRunbook on the app was refused/);
      expect(found[0].body).not.toMatch(/Acknowledge with/);
    });

    test('a page in a Stage is reported whatever stacks are selected, its acknowledgement on the Stage refused', () => {
      const found = about('case-forms', 'StagePage').filter((b) => b.level === 'FATAL');
      expect(found.map((b) => b.text)).toEqual([expect.stringMatching(/is a page \(SEV1\) and has no runbook URL .*acknowledgement of IncidentReadiness-PageRunbook on Prod was refused/)]);
    });

    test('the same runbook written twice differently (host case, angle brackets) is one runbook: no finding', () => {
      expect(about('case-forms', 'SameRunbook')).toEqual([]);
    });
  });

  describe('the gate fails closed (`cdk synth Quiet`: a compliant stack alone selected, in a directory with the project\'s cdk.json)', () => {
    test.each([
      ['a nested stack whose template asset is YAML', 'Nested/Yaml/Down', /is a page \(SEV1, routed to a page topic\) and has no runbook URL/],
      ['a nested stack whose JSON template starts with a byte-order mark', 'Nested/Bom/Down', /is a page \(SEV1\) and has no runbook URL/],
      ['a resource brought in by CfnInclude that keeps another app\'s aws:cdk:path', 'Foreign/Included/Down (its aws:cdk:path claims OtherApp/Checkout/Down/Resource)', /is a page \(SEV1\) and has no runbook URL/],
      ['a resource given a foreign aws:cdk:path with addMetadata', 'Foreign/Relabelled (its aws:cdk:path claims Elsewhere/Checkout/Down/Resource)', /is a page \(SEV1\) and has no runbook URL/],
    ])('%s: its page without runbook is printed, FATAL, outside the selected stack', (_what, where, message) => {
      failed('case-evaluator');
      const found = blocks('case-evaluator').filter((b) => b.text.startsWith(`${where}: `) && b.body.includes('IncidentReadiness-PageRunbook'));
      expect(found.map((b) => b.level)).toEqual(['FATAL']);
      expect(found[0].text).toMatch(message);
    });

    test('a template that is neither JSON nor YAML is a FATAL finding naming the file and the error, never a silent pass', () => {
      const found = blocks('case-evaluator').filter((b) => b.body.includes('IncidentReadiness-CannotJudge'));
      expect(found.map((b) => `${b.level} ${b.text}`)).toEqual([
        expect.stringMatching(/^FATAL Nested\/Broken: the gate cannot judge \S+asset\.[0-9a-f]{64}\.yaml: the template cannot be read, so no alarm in it was judged: neither JSON nor YAML; as YAML \(line \d+\): /),
      ]);
      expect(found[0].body).not.toMatch(/Acknowledge with/);
    });

    test('runbook URLs under the base URL with %00 or a segment over 255 characters are findings, not errors of the gate', () => {
      for (const [alarm, code] of [['NulByte', 'ERR_INVALID_ARG_VALUE'], ['LongSegment', 'ENAMETOOLONG']]) {
        expect(about('case-evaluator', alarm).map((b) => `${b.level} ${b.text}`)).toEqual([
          expect.stringMatching(new RegExp(`^ERROR Links/${alarm}: alarm "${alarm}" links runbook .*, which is under the base URL but cannot name a file of the project \\(${code}\\)$`)),
        ]);
      }
    });

    test('the compliant stack that was selected has no finding', () => {
      expect(blocks('case-evaluator').filter((b) => b.text.startsWith('Quiet/'))).toEqual([]);
    });
  });

  describe('one evaluator of CloudFormation values (`cdk init`\'s flags: weak cross-stack references; `cdk synth Quiet`)', () => {
    const pageRunbook = (alarm: string) => about('case-evaluator', alarm).filter((b) => b.body.includes('IncidentReadiness::IncidentReadiness-PageRunbook'));

    test('the project\'s cdk.json asks for weak references, and the consumer reads the page topic through Fn::GetStackOutput', () => {
      expect(PROJECT_CONTEXT['@aws-cdk/core:defaultCrossStackReferences']).toBe('weak');
      const template = fs.readFileSync(path.join(results.get('case-evaluator')!.outdir, 'Consumer.template.json'), 'utf8');
      expect(template).toContain('"Fn::GetStackOutput"');
    });

    test.each([
      ['ToWeakRef', 'a weak cross-stack reference (Fn::GetStackOutput)'],
      ['ToSsmParameter', 'an SSM parameter the app writes, read with valueForStringParameter'],
      ['ToDynamicReference', 'the same SSM parameter through {{resolve:ssm:…}}'],
      ['ToListParameter', 'a list parameter holding the ARN'],
      ['ToSplit', 'Fn::Split holding the ARN'],
      ['ToImportedByTokens', 'an imported page topic whose ARN is built from Aws.REGION and Aws.ACCOUNT_ID'],
      ['ToImportedBySsm', 'an imported page topic whose ARN is read from SSM'],
      ['ToImportedByExport', 'an imported page topic whose ARN is another app\'s export'],
      ['ToNestedOutput', 'Fn::Sub naming a nested stack\'s output'],
      ['ToContactPager', 'an escalation contact\'s own pager topic'],
      ['ToEventBridge', 'an EventBridge rule on "CloudWatch Alarm State Change" targeting the page topic'],
    ])('%s (%s): a SEV4 without runbook that pages fails PageRunbook', (alarm) => {
      failed('case-evaluator');
      expect(pageRunbook(alarm).map((b) => b.level)).toEqual(['FATAL']);
      expect(pageRunbook(alarm)[0].text).toMatch(alarm === 'ToEventBridge'
        ? /is a page \(EventBridge rule Bridge\/AlarmsToPager\/Resource sends its state changes to a page topic\) and has no runbook URL/
        : /is a page \(its actions reach a page topic\) and has no runbook URL/);
    });

    test('the same routes to the notify topic are no page', () => {
      expect(blocks('case-evaluator').filter((b) => /: alarm "Chat/.test(b.text))).toEqual([]);
    });

    test.each([
      ['PageSubVariables', 'Fn::Sub with literal variables', /is a page \(SEV1\) and has no runbook URL in its description$/],
      ['PageFindInMap', 'Fn::FindInMap choosing among literal descriptions', /is a page \(SEV1\) and has no runbook URL in its description \(in 1 of the 2 values its AlarmDescription can take\)$/],
      ['PageSelect', 'Fn::Select choosing among literal descriptions', /is a page \(SEV1\) and has no runbook URL in its description$/],
      ['PageCyrillic', 'a hidden "Severity: SEV1" written with a Cyrillic Ѕ beside "Severity: SEV3"', /is a page \(SEV1\) and has no runbook URL/],
      ['PageBidi', 'the same written between bidirectional isolates', /is a page \(SEV1\) and has no runbook URL/],
      ['PageEscaped', 'the same behind the writer\'s own backslash', /is a page \(SEV1\) and has no runbook URL/],
      ['PageEllipsis', 'a runbook "https://..."', /its runbook "https:\/\/\.\.\." holds the placeholder "\.\.\.", so it links no runbook$/],
      ['PageTodo', 'a runbook "https://TODO"', /its runbook "https:\/\/TODO" holds the placeholder "TODO", so it links no runbook$/],
      ['PagePlaceholder', 'a runbook "https://<runbook-url>"', /its runbook "https:\/\/<runbook-url>" is not a URL, so it links no runbook$/],
    ])('%s (%s): a SEV1 without a real runbook fails PageRunbook', (alarm, _what, message) => {
      expect(pageRunbook(alarm).map((b) => b.level)).toEqual(['FATAL']);
      expect(pageRunbook(alarm)[0].text).toMatch(message);
    });

    test('a hidden severity is also a conflict naming both lines', () => {
      for (const alarm of ['PageCyrillic', 'PageBidi', 'PageEscaped']) {
        expect(about('case-evaluator', alarm).filter((b) => b.level === 'ERROR').map((b) => b.text)).toEqual([
          expect.stringMatching(/gives two different severities: line 2 \(`Severity: SEV3`\) and line 4 \(`.*: SEV1`\)$/),
        ]);
      }
    });

    test('a URL under the base URL with a double slash is checked (its file is missing)', () => {
      expect(about('case-evaluator', 'DoubleSlash').map((b) => `${b.level} ${b.text}`)).toEqual([
        expect.stringMatching(/^ERROR RunbookLinks\/DoubleSlash: alarm "DoubleSlash" links runbook .*\/main\/\/runbooks\/missing\.md, but runbooks\/missing\.md does not exist under /),
      ]);
    });

    test('compliant, never a false fatal: "SEV3 (business hours)", "SEV3 - no page", a runbook URL built by Fn::Sub from a literal variable', () => {
      expect(blocks('case-evaluator').filter((b) => /: alarm "Ok/.test(b.text))).toEqual([]);
    });
  });
});

describe('the SlackNotifier\'s own page links a runbook that exists (real CLI)', () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-e2e-notifier-'));
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test('without runbooks/slack-notifier-failures.md synth fails saying how to write it; after `new --from` it passes', async () => {
    const app = `node ${path.join(APPS, 'slack-notifier.js')}`;
    const missing = await cdkSynth(app, project);
    fs.rmSync(missing.outdir, { recursive: true, force: true });
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/SlackNotifier 'Alerts\/Slack': its failure alarm is a page and links its runbook from your project\. Runbook file runbooks\/slack-notifier-failures\.md does not exist/);
    expect(missing.output).toContain('run `npx runbook-alarms new --from slack-notifier-failures` to write it there');

    const cli = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'bin', 'runbook-alarms.js'), 'new', '--from', 'slack-notifier-failures'], { cwd: project, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const written = await cdkSynth(app, project);
    try {
      expect({ code: written.code, output: written.code === 0 ? '' : written.output }).toEqual({ code: 0, output: '' });
      const template = JSON.parse(fs.readFileSync(path.join(written.outdir, 'Alerts.template.json'), 'utf8'));
      const [alarm] = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      expect(alarm.Properties.AlarmDescription).toContain('\nRunbook: https://github.com/acme/ops/blob/main/runbooks/slack-notifier-failures.md\n');
    } finally {
      fs.rmSync(written.outdir, { recursive: true, force: true });
    }
  }, 120_000);
});

