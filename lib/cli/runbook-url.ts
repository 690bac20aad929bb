// Maps a runbook URL back to the file it was published from: the inverse of joinRunbookUrl.
import * as path from 'path';

/**
 * The absolute file a runbook URL stands for when it is under `baseUrl` (query and anchor
 * ignored, segments URL-decoded); undefined for URLs elsewhere.
 */
export function fileForRunbookUrl(url: string, baseUrl: string | undefined, root: string): string | undefined {
  if (!baseUrl) return undefined;
  const base = baseUrl.replace(/\/+$/, '') + '/';
  if (!url.startsWith(base)) return undefined;
  const rest = url.slice(base.length).replace(/[?#].*$/, '');
  if (rest === '') return undefined;
  let segments: string[];
  try {
    segments = rest.split('/').map(decodeURIComponent);
  } catch {
    segments = rest.split('/');
  }
  const file = path.resolve(root, ...segments);
  return file.startsWith(path.resolve(root) + path.sep) ? file : undefined;
}
