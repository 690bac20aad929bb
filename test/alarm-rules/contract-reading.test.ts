// How the gate reads a contract written to deceive: look-alike letters and invisible characters in
// the keys read as the key they imitate, a severity hidden behind a backslash counts when it is
// more severe, and a severity followed by words is that severity. The Lambda's codec stays lighter.
import { readContract, readLine } from '../../lib/alarm-rules/contract-reading';
import { parseAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { runbookUrlProblem } from '../../lib/runbook/location';

describe('the gate reads look-alike letters and invisible characters as the key they imitate', () => {
  test.each([
    ['a Cyrillic Ѕ', '\u0405everity: SEV1'],
    ['a Cyrillic е and а', 'S\u0435verity: SEV1'],
    ['Greek capitals', '\u0395\u03a5\u039d: x\nS\u0395VERITY: SEV1'],
    ['full-width letters and colon', '\uff33\uff45\uff56\uff45\uff52\uff49\uff54\uff59\uff1a SEV1'],
    ['a bidi isolate inside the key', 'Sev\u2066erity\u2069: SEV1'],
    ['a right-to-left override', '\u202eSeverity: SEV1'],
    ['a tag character', 'Sever\u{e0041}ity: SEV1'],
    ['a look-alike colon', 'Severity\u2236 SEV1'],
    ['a look-alike severity value', 'Severity: \u0405\u0415V1'],
  ])('%s: beside "Severity: SEV3" it is a conflict judged as SEV1', (_what, hidden) => {
    const c = readContract(`Checkout is slow\nSeverity: SEV3\n${hidden}`);
    expect(c.severity).toBe(Severity.SEV1);
    expect(c.conflicts?.map((x) => x.key)).toEqual(['Severity']);
  });

  test('values other than the severity are taken as written: a runbook URL keeps its letters', () => {
    const c = readContract('Severity: SEV2\nRunb\u043e\u043ek: https://wiki.acme.io/\u0440');
    expect(c.runbookUrl).toBe('https://wiki.acme.io/\u0440');
  });

  test('the Lambda\'s codec does not carry the table (its bundle stays small); the gate\'s reading is the codec with it', () => {
    expect(parseAlarmContract('\u0405everity: SEV1').severity).toBeUndefined();
    expect(readContract('\u0405everity: SEV1').severity).toBe(Severity.SEV1);
    // Bidirectional controls both read through.
    expect(parseAlarmContract('Sev\u2066erity\u2069: SEV1').severity).toBe(Severity.SEV1);
    expect(readLine('plain ascii')).toBe('plain ascii');
  });
});

describe('a severity behind a backslash (the codec\'s own escape, or typed anywhere)', () => {
  test.each([
    ['the escape at the start', '\\Severity: SEV1'],
    ['after a bullet', '- \\Severity: SEV1'],
    ['before the colon', 'Severity\\: SEV1'],
    ['twice', '\\\\Severity: SEV1'],
  ])('%s: more severe than the contract, it is a conflict judged as the more severe', (_what, hidden) => {
    const c = readContract(`Checkout is slow\n${hidden}\n\nSeverity: SEV3`);
    expect(c.severity).toBe(Severity.SEV1);
    expect(c.conflicts).toEqual([{ key: 'Severity', first: { line: 4, text: 'Severity: SEV3' }, second: { line: 2, text: hidden } }]);
  });

  test('less severe, or the same, it changes nothing; alone, it is the severity', () => {
    expect(readContract('\\Severity: SEV4\nSeverity: SEV2')).toEqual(parseAlarmContract('\\Severity: SEV4\nSeverity: SEV2'));
    expect(readContract('\\Severity: SEV1\nSeverity: SEV1').conflicts).toBeUndefined();
    expect(readContract('Checkout\n\\Severity: SEV2').severity).toBe(Severity.SEV2);
  });

  test('a "SEV1: …" first line behind a backslash counts; on a later line it is text, as unescaped', () => {
    expect(readContract('\\SEV1: checkout down\nSeverity: SEV3').severity).toBe(Severity.SEV1);
    expect(readContract('Checkout down\n\\SEV1: text\nSeverity: SEV3').severity).toBe(Severity.SEV3);
  });
});

describe('a severity followed by words is that severity (codec)', () => {
  test.each([
    ['Severity: SEV3 (business hours)', Severity.SEV3],
    ['Severity: SEV3 - no page', Severity.SEV3],
    ['Severity: sev-2, page within minutes', Severity.SEV2],
    ['Severity: SEV1/SEV2', Severity.SEV1],
    ['Severity: SEV12', undefined],
    ['Severity: SEV3x', undefined],
  ])('%j', (description, severity) => {
    expect(parseAlarmContract(description).severity).toBe(severity);
  });
});

describe('a runbook URL is a real https URL with a real host', () => {
  test.each([
    ['https://...', /placeholder "\.\.\."/],
    ['https://TODO', /placeholder "TODO"/],
    ['https://<runbook-url>', /is not a URL|placeholder/],
    ['https://wiki.acme.io/runbooks/<name>.md', /placeholder "<"/],
    ['https://wiki.acme.io/{runbook}', /placeholder "\{"/],
    ['https://wiki', /no real host/],
    ['https://wiki.acme.1a', /no real host/],
    ['https://-x.acme.io/r', /no real host/],
    ['http://wiki.acme.io/r', /not an https/],
    ['runbooks/x.md', /not a URL/],
  ])('%s is refused', (url, problem) => {
    expect(runbookUrlProblem(url)).toMatch(problem);
  });

  test.each(['https://wiki.acme.io/runbooks/x.md', 'https://github.com/acme/ops/blob/main/runbooks/db%20failover.md', 'https://10.0.0.7/r', 'https://[::1]/r', 'https://xn--bcher-kva.example/r'])('%s is a runbook link', (url) => {
    expect(runbookUrlProblem(url)).toBeUndefined();
  });
});
