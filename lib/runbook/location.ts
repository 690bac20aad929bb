// Where a runbook file is published: base URL + its path under the project root, and back.
// The one mapping between runbook URLs and files, for Runbook.fromFile, the checks and the CLI.
import * as path from 'path';

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
