// Runbook-Link: relative links point at files that exist; a dead link in an incident costs minutes.
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { RunbookRule, finding } from './rule';

const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const REFERENCE_DEF = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;

/** Relative link targets in one line, code spans blanked out. Columns are 1-based. */
export function relativeLinks(text: string): Array<{ target: string; column: number }> {
  const blanked = text.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length));
  const out: Array<{ target: string; column: number }> = [];
  for (const m of blanked.matchAll(INLINE_LINK)) out.push({ target: m[1], column: m.index + 1 });
  const ref = REFERENCE_DEF.exec(blanked);
  if (ref) out.push({ target: ref[1], column: 1 });
  return out.filter((l) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(l.target));
}

export const linksRule: RunbookRule = {
  id: 'Runbook-Link',
  level: FindingLevel.ERROR,
  description: 'relative links resolve to files that exist',
  help: "A dead link costs minutes during an incident. Fix the relative path (resolved from the runbook's directory) or link the page by its full URL.",
  check(doc, options) {
    if (options.checkLinks === false) return [];
    const findings: RunbookFinding[] = [];
    const dir = path.dirname(path.resolve(doc.file));
    const exists = new Map<string, boolean>();
    for (const l of doc.lines) {
      if (l.inCode || !l.text.includes('](') && !l.text.includes(']:')) continue;
      for (const link of relativeLinks(l.text)) {
        const bare = link.target.replace(/[#?].*$/, '');
        if (bare === '') continue;
        let target: string;
        try {
          target = path.resolve(dir, decodeURI(bare));
        } catch {
          target = path.resolve(dir, bare);
        }
        if (!exists.has(target)) exists.set(target, fs.existsSync(target));
        if (!exists.get(target)) {
          findings.push(finding(this, doc, l.line, link.column, `link target "${link.target}" does not exist`,
            `fix the path (it is resolved from ${path.relative(process.cwd(), dir) || '.'}) or link the page by URL`));
        }
      }
    }
    return findings;
  },
};
