// Postmortem-Blame: the root cause is about the system and the process, never a person. "Alice
// deleted the table" teaches nothing and teaches people to hide the next mistake; "nothing stopped
// a deletion of a production table" leads to a guard.
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { LineKind, inlineText } from '../../runbook/markdown';
import { PostmortemSectionName } from '../parser';
import { PostmortemRule, finding, isTemplateText } from './rule';

// What only a person does wrong, and what a person's action reads as when they are the subject.
const FAULT = String.raw`(?:forgot|neglected|overlooked|ignored|failed to|didn'?t|did not|was (?:careless|sloppy|negligent|not careful)|made (?:a|an) (?:mistake|error)|messed up|screwed up|should have|mistakenly|accidentally|carelessly|wrongly|incorrectly)`;
const ACT = String.raw`(?:${FAULT}|deleted|dropped|removed|ran|executed|typed|pushed|merged|deployed|changed|misconfigured|broke|skipped|approved|truncated|overwrote|restarted|killed|rebooted|shut down)`;
const ROLE = String.raw`(?:the |an? |our |one )?(?:(?:on-?call|junior|new|senior|responsible) )?(?:engineer|developer|dev|operator|admin|administrator|sre|intern|contractor|new hire|reviewer|approver|on-?call(?: engineer)?|person|employee|team member|user)`;
const PATTERNS: RegExp[] = [
  /\b(human|operator|user|pilot|personnel) error\b/i,
  // A Slack mention, an @handle, a role or a pronoun doing something.
  new RegExp(String.raw`(<@[UW][A-Z0-9]+>|(?<![\w.])@[a-z0-9][\w.-]*|\b${ROLE}|\b(?:he|she|someone|somebody)) (?:(?:just|then|also|had|has|was|accidentally|mistakenly) )?${ACT}\b`, 'i'),
  // A capitalised name at the start of a sentence or clause doing something only a person does wrong ("Alice forgot to…", "A deleted it").
  new RegExp(String.raw`(?:^|[.!?;:]\s+|\b(?:because|when|after|since|as|then)\s+)([A-Z][a-z]*(?:\s[A-Z][a-z]+)?) (?:(?:accidentally|mistakenly|then|also|just) )?(?:${FAULT}|deleted|dropped|removed|typed|pushed|ran)\b`),
];
// Capitalised words that start sentences without being a person.
const NOT_A_NAME = /^(The|This|That|These|Those|It|Its|There|Nothing|Nobody|No one|Everyone|We|They|Our|Their|Which|What|Who|When|Then|Monitoring|Alerting|Automation|Deploy|Deployment|Pipeline|Terraform|Kubernetes|Jenkins|Lambda|Cron|Script|Job|System|Service|Database|Migration|Rollback|Autoscaling|Nginx|Redis|Postgres|MySQL|Kafka|AWS|GCP|Azure|CI|CD)\b/;

// Every pattern needs one of these words: one scan rules most lines out.
const MAY_BLAME = new RegExp(String.raw`\b(?:error|${ACT})\b`, 'i');

/** The words that make a person the subject, or undefined. */
export function blamedSubject(text: string): string | undefined {
  if (!MAY_BLAME.test(text)) return undefined;
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    if (re === PATTERNS[2]) {
      if (NOT_A_NAME.test(m[1])) continue;
      return m[0].slice(m[0].indexOf(m[1])).trim();
    }
    return m[0].trim();
  }
  return undefined;
}

export const blameRule: PostmortemRule = {
  id: 'Postmortem-Blame',
  level: FindingLevel.WARNING,
  description: 'the root cause does not make a person its subject (blameless)',
  help: 'Postmortems are blameless: the root cause names the technical factor and the process factor, never a person. "A deleted it" explains nothing and teaches people to hide the next mistake; "there was no guard preventing deletion" leads to one. The SRE guide: don\'t make an individual the subject.',
  check(doc) {
    const findings: RunbookFinding[] = [];
    for (const section of doc.sections) {
      if (section.heading.section !== PostmortemSectionName.ROOT_CAUSE) continue;
      for (const l of section.lines) {
        if (l.kind !== LineKind.TEXT || !MAY_BLAME.test(l.text) || isTemplateText(l.text)) continue;
        const subject = blamedSubject(inlineText(l.text.replace(/^\s*([-*+]|\d+[.)])\s+/, '')));
        if (!subject) continue;
        findings.push(finding(this, doc, l.line, Math.max(1, l.text.indexOf(subject.split(' ')[0]) + 1), `the root cause makes a person its subject: "${subject}"`,
          'write what in the system or the process let it happen, not who: not "A deleted it" but "there was no guard preventing deletion"'));
      }
    }
    return findings;
  },
};
