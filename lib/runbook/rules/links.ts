// Runbook-Link: relative links point at files that exist; a dead link in an incident costs minutes.
import * as fs from 'fs';
import * as path from 'path';
import { FindingLevel, RunbookFinding } from '../../core/finding';
import { MarkdownLink } from '../markdown';
import { RunbookRule, finding } from './rule';

/** The links whose target is a path in the repository: no scheme, not only a fragment, no `//host`. */
function relativeLinks(links: readonly MarkdownLink[]): MarkdownLink[] {
  return links.filter((l) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(l.target));
}

/** `dir` and every directory above it, nearest first. */
function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) out.push(path.dirname(d));
  return out;
}

export const linksRule: RunbookRule = {
  id: 'Runbook-Link',
  level: FindingLevel.ERROR,
  description: 'relative links resolve to files that exist',
  help: "A dead link costs minutes during an incident. Fix the relative path (resolved from the runbook's directory) or link the page by its full URL.",
  check(doc, settings) {
    if (settings.checkLinks === false) return [];
    const findings: RunbookFinding[] = [];
    const dir = path.dirname(path.resolve(doc.file));
    const exists = new Map<string, boolean>();
    for (const link of relativeLinks(doc.links)) {
      const bare = link.target.replace(/[#?].*$/, '');
      if (bare === '') continue;
      let decoded: string;
      try {
        decoded = decodeURI(bare);
      } catch {
        decoded = bare;
      }
      // `/docs/x.md` is resolved from the repository root by GitHub and GitLab, not from the disk's
      // root: the repository is one of the runbook's ancestor directories.
      const rooted = decoded.startsWith('/');
      const candidates = rooted ? ancestors(dir).map((a) => path.join(a, decoded)) : [path.resolve(dir, decoded)];
      const found = candidates.some((target) => {
        if (!exists.has(target)) exists.set(target, fs.existsSync(target));
        return exists.get(target);
      });
      if (!found) {
        findings.push(finding(this, doc, link.line, link.column, `link target "${link.target}" does not exist`,
          rooted
            ? 'fix the path (a link starting with / is resolved from the repository root) or link the page by URL'
            : `fix the path (it is resolved from ${path.relative(process.cwd(), dir) || '.'}) or link the page by URL`));
      }
    }
    return findings;
  },
};
