// Where a runbook file is published: base URL + its path under the project root, and back.
// The one mapping between runbook URLs and files, for Runbook.fromFile, the checks and the CLI.
import * as path from 'path';
import { closest } from '../core/text';

/** A path relative to the project root as URL path segments, each percent-encoded (`runbooks/db%20failover.md`). */
export function encodeRunbookPath(relativePath: string): string {
  return relativePath.split(/[\\/]/).filter((s) => s !== '').map(encodeURIComponent).join('/');
}

/** The URL of a runbook file: the base URL and the encoded relative path, joined with exactly one slash. */
export function runbookUrlFor(baseUrl: string, relativePath: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeRunbookPath(relativePath)}`;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** A URL's path as the hosts serving runbooks read it: runs of slashes are one. */
const pathOf = (u: URL) => u.pathname.replace(/\/{2,}/g, '/');
/** A host as DNS reads it: a trailing dot changes nothing. */
const hostOf = (u: URL) => u.host.replace(/\.(?=:|$)/, '');

/**
 * The file a runbook URL points at, when the URL is under `baseUrl`; undefined otherwise (a runbook
 * kept in a wiki is not ours to check). Scheme and host compare case-insensitively, dot segments
 * are resolved (`HTTPS://GitHub.com/acme/ops/blob/main/x/../runbooks/a.md` is under
 * `https://github.com/acme/ops/blob/main`), runs of slashes read as one and credentials are
 * ignored, as browsers and hosts read them; the path stays case-sensitive, as the hosts serving
 * runbooks treat it. Percent-encoding is undone segment by segment (a segment whose encoding is
 * broken is kept as written: it names no file, which the caller reports); a URL that leaves the
 * project root is not a runbook file of it.
 */
export function runbookFileForUrl(url: string, baseUrl: string, projectRoot: string): string | undefined {
  const u = parse(url.trim());
  const base = parse(baseUrl.trim());
  if (!u || !base || u.protocol !== base.protocol || hostOf(u) !== hostOf(base)) return undefined;
  const prefix = pathOf(base).replace(/\/+$/, '');
  const pathname = pathOf(u);
  if (!pathname.startsWith(`${prefix}/`)) return undefined;
  const relative = pathname.slice(prefix.length + 1).split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  }).join(path.sep);
  const root = path.resolve(projectRoot);
  const file = path.resolve(root, relative);
  const back = path.relative(root, file);
  return back.startsWith('..') || path.isAbsolute(back) ? undefined : file;
}

// Text a person leaves to fill in: `...`, `…`, `<runbook-url>`, `{name}`, TODO/TBD/FIXME/XXX.
const PLACEHOLDER_TEXT = /\.\.\.|…|[<>{}]|%3[CEce]|%7[BDbd]|\b(TODO|TBD|FIXME|XXX)\b/;

/**
 * What makes `url` not a runbook link a paged engineer can open, or undefined: it must be an
 * https URL with a real host (a name with a dot and a top-level domain of letters, or an IP
 * address), and no placeholder (`https://...`, `https://<runbook-url>`, `https://TODO`).
 */
export function runbookUrlProblem(url: string): string | undefined {
  const u = parse(url.trim());
  if (!u) return 'is not a URL';
  if (u.protocol !== 'https:') return 'is not an https:// URL';
  const placeholder = PLACEHOLDER_TEXT.exec(url);
  if (placeholder) return `holds the placeholder "${placeholder[0]}"`;
  const host = u.hostname.replace(/\.$/, '');
  if (/^\[[0-9a-f:.]+\]$/i.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
  const labels = host.split('.');
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
  if (labels.length < 2 || !labels.every((l) => label.test(l)) || !/^([a-z]{2,63}|xn--[a-z0-9-]+)$/i.test(labels[labels.length - 1])) {
    return `has no real host ("${u.hostname}")`;
  }
  return undefined;
}

/**
 * True when `url` is under `prefix`: a URL prefix (`https://wiki.acme.com/ops`: same scheme and
 * host, the path at or below the prefix's, segment by segment) or a bare host (`wiki.acme.com`:
 * any https or http URL of that host). Scheme and host compare case-insensitively, as browsers read them.
 */
export function isUnderUrlPrefix(url: string, prefix: string): boolean {
  const u = parse(url.trim());
  if (!u) return false;
  const p = prefix.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return (u.protocol === 'https:' || u.protocol === 'http:') && u.host === p.toLowerCase().replace(/\/+$/, '');
  const base = parse(p);
  if (!base || u.protocol !== base.protocol || u.host !== base.host || u.username !== base.username) return false;
  const path = base.pathname.replace(/\/+$/, '');
  return u.pathname === path || u.pathname.startsWith(`${path}/`);
}

/**
 * The URL as it would be under `baseUrl` when it is a near miss of it (`github.com/acme/paymnets/…`
 * for `github.com/acme/payments`): same scheme and host, the path's first segments a few edits from
 * the base's. Undefined otherwise.
 */
export function nearBaseUrl(url: string, baseUrl: string): string | undefined {
  const u = parse(url.trim());
  const base = parse(baseUrl.trim());
  if (!u || !base || u.host !== base.host) return undefined;
  const wanted = base.pathname.split('/').filter((s) => s !== '');
  const given = u.pathname.split('/').filter((s) => s !== '');
  if (given.length <= wanted.length) return undefined;
  const head = given.slice(0, wanted.length).join('/');
  if (head === wanted.join('/') || closest(head, [wanted.join('/')]) === undefined) return undefined;
  return `${baseUrl.trim().replace(/\/+$/, '')}/${given.slice(wanted.length).join('/')}`;
}
