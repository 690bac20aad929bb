// The SRE guide's own postmortem template (read from ../shared/fixtures/sre-guide/, never copied):
// as the guide ships it, the lint says what is left to fill in, and the one finding about its
// table is that it has no Status column; filled in, it passes.
import * as fs from 'fs';
import * as path from 'path';
import { lintPostmortem, postmortemRuleSettings } from '../../lib/postmortem/lint';
import { parsePostmortem } from '../../lib/postmortem/parser';
import { sreGuideFile } from '../support/sre-guide';
import { NOW, ROOT } from './helpers';

const template = fs.readFileSync(sreGuideFile('postmortem-template.md'), 'utf8');
const lint = (text: string) => lintPostmortem(parsePostmortem(text, path.join(ROOT, 'rules', 'guide.md')), postmortemRuleSettings({ now: NOW, root: ROOT }));

test('the template as the guide ships it: every field and section left to fill in, and one finding to add Status', () => {
  const findings = lint(template);
  expect(findings.every((f) => f.level === 'error')).toBe(true);
  expect(findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([
    'Postmortem-FrontMatter status "Draft / In Review / Final" lists the template\'s choices',
    'Postmortem-FrontMatter the postmortem has no incident',
    'Postmortem-FrontMatter the postmortem has no severity',
    'Postmortem-FrontMatter author is still the template\'s "<name>"',
    'Postmortem-FrontMatter the postmortem has no runbook',
    'Postmortem-Sections section "Summary (3 lines)" has no content',
    'Postmortem-Sections section "Impact" has no content',
    'Postmortem-Sections section "Timeline (transcribed from the Live Doc)" has no content',
    'Postmortem-Sections section "Root Cause" has no content',
    'Postmortem-Sections section "Detection" has no content',
    'Postmortem-Sections section "What went well / what went poorly in the response" has no content',
    'Postmortem-ActionItem the action-items table has no Status column',
    'Postmortem-ActionItem the action-items table has no action items',
  ]);
  expect(findings.filter((f) => /Status column/.test(f.message))).toHaveLength(1);
});

test('the template filled in, in the guide\'s own form (header lines, its columns plus Status), passes', () => {
  const filled = template
    .replace('<title> (SEV<N>)', 'Payment webhook backlog (SEV2)')
    .replace('Status: Draft / In Review / Final', 'Status: In Review\nIncident: 4f1c2d3e  Runbook: runbooks/payment-webhook-backlog.md  Severity: SEV2')
    .replace('Author: <name>  Reviewer: <name>', 'Author: Dana Whitfield  Reviewer: Sam Okafor')
    .replace('What, for how long, who was impacted.', 'Webhooks piled up for 41 minutes; 3,200 charges were confirmed late; none was lost.')
    .replace('<detected HH:MM – recovered HH:MM>', '14:02 – 14:43 UTC').replace('<in numbers. measured, not guessed>', '3,200 checkouts waited up to 38 minutes')
    .replace('<e.g.: N charging delays. Data consistency maintained/lost>', '3,200 delayed charges; data consistency maintained')
    .replace(/- HH:MM Alert fired.*\n- HH:MM IC.*\n- HH:MM Mitigation.*\n- HH:MM Recovery confirmed/, '- 14:02 Alert fired (auto)\n- 14:12 Consumer scaled out\n- 14:43 Recovery confirmed')
    .replace(/"Why" 5 times.*\n※.*/, 'Autoscaling watched CPU, which stayed low while the consumer waited on the provider; nothing looked at queue depth.')
    .replace("How you noticed. If it wasn't auto-detection, that itself is an action item.", 'The backlog alarm, 6 minutes in.')
    .replace('- Went well: ~', '- Went well: the first move worked').replace('- Went poorly: ~', '- Went poorly: the scaling policy surprised us')
    .replace(/- Got lucky: ~.*/, '- Got lucky: the provider recovered on its own')
    .replace('| Ticket |\n| - | ------- | ------------------------------- | ----- | --- | ------ |', '| Ticket | Status |\n| - | ------- | ------------------------------- | ----- | --- | ------ | ------ |\n' +
      '| 1 | Scale the consumer on queue depth | prevent | Dana Whitfield | 2026-11-27 | PAY-1432 | open |');
  expect(lint(filled)).toEqual([]);
});
