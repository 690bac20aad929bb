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

/**
 * The file a runbook URL points at, when the URL is under `baseUrl`; undefined otherwise (a runbook
 * kept in a wiki is not ours to check). Scheme and host compare case-insensitively and dot segments
 * are resolved (`HTTPS://GitHub.com/acme/ops/blob/main/x/../runbooks/a.md` is under
 * `https://github.com/acme/ops/blob/main`), as browsers read them; the path stays case-sensitive,
 * as the hosts serving runbooks treat it. Percent-encoding is undone segment by segment; a URL that
 * leaves the project root is not a runbook file of it.
 */
export function runbookFileForUrl(url: string, baseUrl: string, projectRoot: string): string | undefined {
  const u = parse(url.trim());
  const base = parse(baseUrl.trim());
  if (!u || !base || u.protocol !== base.protocol || u.host !== base.host || u.username !== base.username) return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!u.pathname.startsWith(`${prefix}/`)) return undefined;
  let relative: string;
  try {
    relative = u.pathname.slice(prefix.length + 1).split('/').map(decodeURIComponent).join(path.sep);
  } catch {
    return undefined;
  }
  const root = path.resolve(projectRoot);
  const file = path.resolve(root, relative);
  const back = path.relative(root, file);
  return back.startsWith('..') || path.isAbsolute(back) ? undefined : file;
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
