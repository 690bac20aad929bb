// Runbook URL <-> file: one mapping, read the way browsers read URLs.
import * as path from 'path';
import { encodeRunbookPath, runbookFileForUrl, runbookUrlFor } from '../../lib/runbook/location';

const BASE = 'https://github.com/acme/ops/blob/main';
const ROOT = '/p';

describe('runbookUrlFor / runbookFileForUrl', () => {
  test('round-trips a path with spaces and unicode, with exactly one slash after the base', () => {
    const url = runbookUrlFor(`${BASE}/`, path.join('runbooks', 'db failover ü.md'));
    expect(url).toBe(`${BASE}/runbooks/db%20failover%20%C3%BC.md`);
    expect(runbookFileForUrl(url, BASE, ROOT)).toBe('/p/runbooks/db failover ü.md');
    expect(encodeRunbookPath('runbooks\\a b.md')).toBe('runbooks/a%20b.md');
  });

  test.each([
    ['an upper-case scheme', `HTTPS://github.com/acme/ops/blob/main/runbooks/missing.md`],
    ['an upper-case host', `https://GitHub.com/acme/ops/blob/main/runbooks/missing.md`],
    ['dot segments', `${BASE}/docs/../runbooks/./missing.md`],
    ['encoded dot segments', `${BASE}/docs/%2e%2e/runbooks/missing.md`],
    ['a default port', `https://github.com:443/acme/ops/blob/main/runbooks/missing.md`],
    ['a query and a fragment', `${BASE}/runbooks/missing.md?plain=1#mitigate`],
    ['runs of slashes in the path', `${BASE}//runbooks//missing.md`],
    ['runs of slashes inside the base path', 'https://github.com//acme/ops//blob/main/runbooks/missing.md'],
    ['credentials', 'https://someone@github.com/acme/ops/blob/main/runbooks/missing.md'],
    ['a host with its trailing dot', 'https://github.com./acme/ops/blob/main/runbooks/missing.md'],
    ['an encoded slash', `${BASE}/runbooks%2Fmissing.md`],
  ])('%s still maps under the base URL', (_what, url) => {
    expect(runbookFileForUrl(url, BASE, ROOT)).toBe('/p/runbooks/missing.md');
  });

  test.each([
    ['another host', 'https://wiki.acme.dev/runbooks/x.md'],
    ['another scheme', 'http://github.com/acme/ops/blob/main/runbooks/x.md'],
    ['a sibling path that only starts like the base', 'https://github.com/acme/ops/blob/mainline/runbooks/x.md'],
    ['dot segments that leave the base', `${BASE}/../../other/blob/main/x.md`],
    ['not a URL', 'runbooks/x.md'],
  ])('%s is not a runbook file of the project', (_what, url) => {
    expect(runbookFileForUrl(url, BASE, ROOT)).toBeUndefined();
  });

  test('a URL under the base URL is checked however it is spelled: a broken percent-encoding or a NUL names a file that cannot exist', () => {
    expect(runbookFileForUrl(`${BASE}/runbooks/%E0%A4%A.md`, BASE, ROOT)).toBe('/p/runbooks/%E0%A4%A.md');
    expect(runbookFileForUrl(`${BASE}/runbooks/a%00.md`, BASE, ROOT)).toBe('/p/runbooks/a\u0000.md');
  });

  test('the path stays case-sensitive (the host serving runbooks treats it so)', () => {
    expect(runbookFileForUrl(`${BASE}/Runbooks/X.md`, BASE, ROOT)).toBe('/p/Runbooks/X.md');
    expect(runbookFileForUrl('https://github.com/ACME/ops/blob/main/runbooks/x.md', BASE, ROOT)).toBeUndefined();
  });
});
