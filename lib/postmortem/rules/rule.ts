// What a postmortem rule is: a pure function from a parsed postmortem (and settings) to findings,
// like a runbook rule (lib/runbook/rules/rule.ts). The one thing a rule reads besides the
// postmortem, its runbook's front matter, comes through the settings' RunbookDates.
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { readFrontMatter } from '../../runbook/front-matter';
import { runbookFileForUrl } from '../../runbook/location';
import { hasPlaceholder } from '../../runbook/placeholders';
import { dayOf, ParsedPostmortem } from '../parser';

/** Settings of the postmortem rules. */
export interface PostmortemLintOptions {
  /** "Today" for due dates. @default - RUNBOOK_ALARMS_NOW when set, else the clock (read once at the front door) */
  readonly now?: Date;
  /** The project root a postmortem's `runbook: runbooks/x.md` is relative to. @default - the working directory */
  readonly root?: string;
  /** The URL runbook files are published under, to find the file of a `runbook:` URL. @default - none */
  readonly runbookBaseUrl?: string;
}

/** The settings a rule sees: "today" resolved, the root known, runbooks read once per run. */
export interface PostmortemRuleSettings extends PostmortemLintOptions {
  readonly now: Date;
  readonly root: string;
  readonly runbooks: RunbookDates;
}

/** One postmortem rule. */
export interface PostmortemRule {
  readonly id: string;
  readonly level: FindingLevel;
  /** One line: what the rule checks. */
  readonly description: string;
  /** Why the rule exists and how to fix a finding (SARIF help text, RULES.md). */
  readonly help: string;
  check(doc: ParsedPostmortem, settings: PostmortemRuleSettings): RunbookFinding[];
}

/** Builds a finding of `rule` in `doc`. */
export function finding(rule: Pick<PostmortemRule, 'id' | 'level'>, doc: ParsedPostmortem, line: number, column: number, message: string, fix: string): RunbookFinding {
  return { ruleId: rule.id, level: rule.level, file: doc.file, line, column, message, fix };
}

/** Today as a UTC day number. */
export function today(settings: PostmortemRuleSettings): number {
  return Math.floor(settings.now.getTime() / 86_400_000);
}

// The SRE guide's template prompts, left as they are: they are not content. Other templates
// (`runbook-alarms postmortem new` included) write their prompts as <placeholders>.
const TEMPLATE_PROMPT = /^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:what, for how long, who was impacted\.?\s*$|"?why"? ?5 times\b|※|how you noticed\. if it wasn't auto-detection|(?:went well|went poorly|got lucky)\s*:\s*~)|\bHH:MM\b/i;
/** What a prompt line holds, as the guide writes it (one scan rules most lines out). */
const MAY_BE_PROMPT = /[~※]|HH:MM|5 times|how long|noticed/;

/** True when a line is a placeholder or a prompt of the template rather than something written. */
export function isTemplateText(text: string): boolean {
  return hasPlaceholder(text) || (MAY_BE_PROMPT.test(text) && TEMPLATE_PROMPT.test(text));
}

/** What a postmortem's `runbook:` names. */
export type RunbookRef =
  | { readonly kind: 'none' }
  | { readonly kind: 'elsewhere'; readonly url: string }
  | { readonly kind: 'file'; readonly file: string; readonly exists: boolean; readonly tried: string[] };

/** The runbooks postmortems name, each file read once per run: where it is and its `last_updated`. */
export class RunbookDates {
  private readonly days = new Map<string, number | undefined>();
  private readonly located = new Map<string, RunbookRef>();

  /** What `runbook` names: `none`, a URL outside the base URL, or a file (relative to the root, else to the postmortem). */
  locate(value: string, postmortemFile: string, settings: PostmortemLintOptions & { root: string }): RunbookRef {
    // Thousands of postmortems name a handful of runbooks: each is looked up once per folder.
    const key = `${path.dirname(postmortemFile)}\n${value}`;
    let ref = this.located.get(key);
    if (!ref) this.located.set(key, (ref = this.find(value, postmortemFile, settings)));
    return ref;
  }

  private find(value: string, postmortemFile: string, settings: PostmortemLintOptions & { root: string }): RunbookRef {
    const v = value.trim();
    if (/^(none|n\/a|-)$/i.test(v)) return { kind: 'none' };
    if (/^[a-z][a-z0-9+.-]*:/i.test(v)) {
      const file = settings.runbookBaseUrl ? runbookFileForUrl(v, settings.runbookBaseUrl, settings.root) : undefined;
      return file ? { kind: 'file', file, exists: isFile(file), tried: [file] } : { kind: 'elsewhere', url: v };
    }
    const tried = [...new Set([path.resolve(settings.root, v), path.resolve(path.dirname(postmortemFile), v)])];
    const found = tried.find(isFile);
    return { kind: 'file', file: found ?? tried[0], exists: found !== undefined, tried };
  }

  /** The runbook's `last_updated` (a UTC day number), undefined when it has none. */
  lastUpdated(file: string): number | undefined {
    if (!this.days.has(file)) {
      let day: number | undefined;
      try {
        // The front matter is at the top: the first 64 KB hold it.
        const fd = fs.openSync(file, 'r');
        const buf = Buffer.alloc(65536);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        fs.closeSync(fd);
        const fm = readFrontMatter(buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n'));
        const raw = fm.frontMatter.last_updated;
        day = dayOf(raw instanceof Date ? raw.toISOString().slice(0, 10) : typeof raw === 'string' ? raw : undefined);
      } catch {
        day = undefined;
      }
      this.days.set(file, day);
    }
    return this.days.get(file);
  }
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
