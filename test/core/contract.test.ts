import * as fc from 'fast-check';
import { AlarmContractCodec, AlarmContractTooLongError, parseAlarmContract, renderAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { MAX_DESCRIPTION_LENGTH, normalizeSummary } from '../../lib/core/contract';

const severity = fc.constantFrom(Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4);
// Values as the codec stores them: one line, no outer whitespace.
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim() || undefined;

describe('renderAlarmContract / parseAlarmContract', () => {
  test('renders the docs/design/alarm-contract.md format: summary, blank line, one Key: value line per field', () => {
    const description = renderAlarmContract({
      summary: 'Payment webhooks are piling up; charges are not being processed.',
      severity: Severity.SEV2,
      runbookUrl: 'https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md',
      firstMove: 'Scale out the webhook consumer to drain the backlog',
      owner: 'payments',
    });
    expect(description).toBe(
      'Payment webhooks are piling up; charges are not being processed.\n\n' +
        'Severity: SEV2\n' +
        'Runbook: https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md\n' +
        'First move: Scale out the webhook consumer to drain the backlog\n' +
        'Owner: payments',
    );
  });

  test('round-trips arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          summary: fc.option(fc.string({ maxLength: 300, unit: 'grapheme' }), { nil: undefined }),
          severity,
          runbookUrl: fc.option(fc.webUrl(), { nil: undefined }),
          firstMove: fc.option(fc.string({ maxLength: 120, unit: 'grapheme' }), { nil: undefined }),
          owner: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
          dashboardUrl: fc.option(fc.webUrl(), { nil: undefined }),
        }),
        (props) => {
          const description = renderAlarmContract(props);
          expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
          const back = parseAlarmContract(description);
          expect(back.severity).toBe(props.severity);
          expect(back.runbookUrl).toBe(oneLine(props.runbookUrl ?? ''));
          expect(back.firstMove).toBe(oneLine(props.firstMove ?? ''));
          expect(back.owner).toBe(oneLine(props.owner ?? ''));
          expect(back.dashboardUrl).toBe(oneLine(props.dashboardUrl ?? ''));
          expect(back.summary).toBe(normalizeSummary(props.summary));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a summary that itself looks like contract lines stays the summary (property)', () => {
    const keyLine = fc.constantFrom('Severity: SEV1', 'Runbook: https://evil.example/x', 'Owner: mallory', 'First move: rm -rf /');
    fc.assert(
      fc.property(fc.array(keyLine, { minLength: 1, maxLength: 4 }), severity, (lines, sev) => {
        const summary = lines.join('\n');
        const back = parseAlarmContract(renderAlarmContract({ summary, severity: sev, owner: 'payments' }));
        expect(back.severity).toBe(sev);
        expect(back.owner).toBe('payments');
        expect(back.runbookUrl).toBeUndefined();
        expect(back.summary).toBe(summary);
      }),
    );
  });

  test('shortens the summary, never the contract, to fit 1024 characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1100, maxLength: 5000, unit: 'binary' }), severity, (summary, sev) => {
        const props = { summary, severity: sev, runbookUrl: 'https://example.com/runbooks/x.md', firstMove: 'Fail over to us-west-2', owner: 'payments' };
        const description = renderAlarmContract(props);
        expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
        const back = parseAlarmContract(description);
        expect(back.runbookUrl).toBe(props.runbookUrl);
        expect(back.firstMove).toBe(props.firstMove);
        expect(back.owner).toBe(props.owner);
        expect(back.severity).toBe(sev);
        if (back.summary !== '') expect(back.summary.endsWith('…')).toBe(true);
        // Never splits a surrogate pair.
        expect(() => encodeURIComponent(description)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  test('the shortened description uses the whole budget', () => {
    const description = renderAlarmContract({ summary: 'x'.repeat(2000), severity: Severity.SEV1, runbookUrl: 'https://e.com/r.md' });
    expect(description.length).toBe(MAX_DESCRIPTION_LENGTH);
  });

  test('throws a clear error when the contract alone does not fit', () => {
    const props = { severity: Severity.SEV1, runbookUrl: 'https://example.com/r.md', firstMove: 'a'.repeat(1100) };
    expect(() => renderAlarmContract(props)).toThrow(AlarmContractTooLongError);
    expect(() => renderAlarmContract(props)).toThrow(/alarm contract needs \d+ characters but an alarm description holds 1024; shorten the first move/);
  });

  test('reads \\r\\n separators and keys in any case', () => {
    const back = parseAlarmContract('DB is full\r\n\r\nSEVERITY: sev1\r\nrunbook: https://x.example/r.md\r\nfirst MOVE: Fail over\r\nOWNER: data\r\n');
    expect(back).toMatchObject({ summary: 'DB is full', severity: Severity.SEV1, severityText: 'sev1', runbookUrl: 'https://x.example/r.md', firstMove: 'Fail over', owner: 'data' });
  });

  test("reads cdk-monitoring-constructs' descriptions (parts joined with ' \\r\\n')", () => {
    // AlarmFactory.generateDescription + joinDescriptionParts
    const plain = parseAlarmContract('P99 latency is above 1s \r\nRunbook: https://wiki.example/latency \r\nDocumentation: https://docs.example/api');
    expect(plain.runbookUrl).toBe('https://wiki.example/latency');
    // `Documentation:` is no contract key: its line is text for the human, as written.
    expect(plain.summary).toBe('P99 latency is above 1s \nDocumentation: https://docs.example/api');
    expect(plain.severity).toBeUndefined();
    // The composite "with samples" alarm appends another part after the runbook line.
    const composite = parseAlarmContract('Composite alarm \r\nRunbook: https://wiki.example/c \r\nMin number of samples to alarm: 10');
    expect(composite.runbookUrl).toBe('https://wiki.example/c');
  });

  test('free text without a contract parses to a summary and nothing else', () => {
    expect(parseAlarmContract('CPU is high')).toEqual({ summary: 'CPU is high' });
    expect(parseAlarmContract(undefined)).toEqual({ summary: '' });
    expect(parseAlarmContract(null as unknown as string)).toEqual({ summary: '' }); // JavaScript callers
    expect(AlarmContractCodec.parse('Severity: SEV3')).toEqual(parseAlarmContract('Severity: SEV3'));
  });

  test('keeps an invalid severity as text so the checks can name it', () => {
    const back = parseAlarmContract('Severity: P1\nRunbook: https://x.example/r');
    expect(back.severity).toBeUndefined();
    expect(back.severityText).toBe('P1');
  });
});

describe('parseAlarmContract reads the contract the way people write it (issue 10)', () => {
  test('a Severity line first, the summary after it', () => {
    const c = parseAlarmContract('Severity: SEV1\nCheckout is down for every customer.\nRunbook: https://x.example/r');
    expect(c).toMatchObject({ severity: Severity.SEV1, runbookUrl: 'https://x.example/r', summary: 'Checkout is down for every customer.' });
    expect(c.conflicts).toBeUndefined();
  });

  test('blank lines between the contract lines', () => {
    const c = parseAlarmContract('Queue backing up.\n\nSeverity: SEV2\n\nRunbook: https://x.example/r\n\nFirst move: Scale out\n');
    expect(c).toMatchObject({ severity: Severity.SEV2, runbookUrl: 'https://x.example/r', firstMove: 'Scale out', summary: 'Queue backing up.' });
  });

  test('a first line of the form "SEV2: summary" is the severity', () => {
    const c = parseAlarmContract('SEV2: Payment webhooks are piling up; charges are not processed.\nRunbook: https://x.example/r');
    expect(c).toMatchObject({ severity: Severity.SEV2, severityText: 'SEV2', runbookUrl: 'https://x.example/r' });
    expect(c.summary).toBe('Payment webhooks are piling up; charges are not processed.');
    expect(parseAlarmContract('  sev-1 : DB down').severity).toBe(Severity.SEV1);
  });

  test('a severity named inside a sentence is not a severity', () => {
    for (const text of ['Queue is deep; escalate to SEV1 if it keeps growing.', 'Not SEV1: just noisy', 'Latency high\nSEV1: only on the first line']) {
      const c = parseAlarmContract(text);
      expect({ text, severity: c.severity, severityText: c.severityText }).toEqual({ text, severity: undefined, severityText: undefined });
    }
  });

  test('two different severities are a conflict naming both lines, judged as the more severe', () => {
    const c = parseAlarmContract('Noise\nSeverity: SEV4\nRunbook: https://x.example/r\nSeverity: SEV1');
    expect(c.conflicts).toEqual([{ key: 'Severity', first: { line: 2, text: 'Severity: SEV4' }, second: { line: 4, text: 'Severity: SEV1' } }]);
    expect(c.severity).toBe(Severity.SEV1);
    // The SEV2: first-line form conflicts with a Severity line too.
    const first = parseAlarmContract('SEV2: Webhooks piling up\nSeverity: SEV3');
    expect(first.conflicts?.[0]).toMatchObject({ key: 'Severity', first: { line: 1 }, second: { line: 2, text: 'Severity: SEV3' } });
    expect(first.severity).toBe(Severity.SEV2);
  });

  test('the same value twice is not a conflict (SEV2 and sev 2 say the same)', () => {
    expect(parseAlarmContract('SEV2: x\nSeverity: sev 2\nRunbook: https://a\nRunbook: https://a').conflicts).toBeUndefined();
  });

  test('two different runbook URLs are a conflict too', () => {
    const c = parseAlarmContract('Severity: SEV2\nRunbook: https://a.example/one\nRunbook: https://a.example/two');
    expect(c.conflicts).toEqual([{ key: 'Runbook', first: { line: 2, text: 'Runbook: https://a.example/one' }, second: { line: 3, text: 'Runbook: https://a.example/two' } }]);
  });

  test('long runs of whitespace parse (the key regex never backtracks over the value)', () => {
    const c = parseAlarmContract(`Severity: SEV2${' '.repeat(100_000)}x\nOwner: ${'\t'.repeat(50_000)}payments${' '.repeat(50_000)}`);
    expect(c.severityText).toBe(`SEV2${' '.repeat(100_000)}x`);
    expect(c.owner).toBe('payments');
  });

  // Second pass over issue 10: severities a person reads that the gate must read too.
  test.each([
    ['a lower-case value', 'Severity: sev1'],
    ['no space after the colon', 'Severity:SEV1'],
    ['a dash in the value', 'Severity: SEV-1'],
    ['Markdown bold around the key', '**Severity:** SEV1'],
    ['Markdown bold around key and value', '**Severity**: **SEV1**'],
    ['a list item', '- Severity: SEV1'],
    ['a quote', '> Severity: SEV1'],
    ['code around the value', 'Severity: `SEV1`'],
    ['a full stop after the value', 'Severity: SEV1.'],
    ['a full-width colon', 'Severity\uff1a SEV1'],
    ['full-width letters', '\uff33everity: SEV\uff11'],
    ['tabs', '\tSeverity:\tSEV1'],
    ['a no-break space', 'Severity:\u00a0SEV1'],
    ['a zero-width space inside the key', 'Sever\u200bity: SEV1'],
    ['a byte-order mark in front', '\ufeffSeverity: SEV1'],
    ['a zero-width joiner after the value', 'Severity: SEV1\u200d'],
    ['"SEV1 - summary"', 'SEV1 - Checkout is down'],
    ['"SEV1 — summary"', 'SEV1 \u2014 Checkout is down'],
    ['"[SEV1] summary"', '[SEV1] Checkout is down'],
    ['"(SEV1) summary"', '(SEV1) Checkout is down'],
    ['"**SEV1**: summary"', '**SEV1**: Checkout is down'],
    ['a severity alone on the first line', 'SEV1\nCheckout is down'],
  ])('reads a severity written with %s', (_what, description) => {
    const c = parseAlarmContract(`${description}\nRunbook: https://x.example/r`);
    expect({ severity: c.severity, runbookUrl: c.runbookUrl, conflicts: c.conflicts }).toEqual({ severity: Severity.SEV1, runbookUrl: 'https://x.example/r', conflicts: undefined });
  });

  test('contract lines split by a bare \\r, a Unicode line separator or a form feed are lines', () => {
    for (const brk of ['\r', '\u2028', '\u2029', '\u0085', '\f', '\v']) {
      const c = parseAlarmContract(`Checkout is down${brk}Severity: SEV1${brk}Runbook: https://x.example/r`);
      expect({ brk, severity: c.severity, runbookUrl: c.runbookUrl, summary: c.summary }).toEqual({ brk, severity: Severity.SEV1, runbookUrl: 'https://x.example/r', summary: 'Checkout is down' });
    }
  });

  test('a first line that only starts like a severity is not one ("SEV1 incidents…", "SEV1-2")', () => {
    for (const text of ['SEV1 incidents page the commander', 'SEV1-2 flaky', '[SEV1 outage', 'SEV12: not a severity']) {
      expect({ text, severity: parseAlarmContract(text).severity }).toEqual({ text, severity: undefined });
    }
  });

  test('a severity value that is none of SEV1..SEV4 is kept as written, and conflicts with a readable one', () => {
    expect(parseAlarmContract('Severity: SEV12 (critical)')).toMatchObject({ severityText: 'SEV12 (critical)', severity: undefined });
    expect(parseAlarmContract('Severity: Critical')).toMatchObject({ severityText: 'Critical', severity: undefined });
    const both = parseAlarmContract('Severity: SEV3\nSeverity: Critical');
    expect(both).toMatchObject({ severity: Severity.SEV3, severityText: 'SEV3' });
    expect(both.conflicts).toEqual([{ key: 'Severity', first: { line: 1, text: 'Severity: SEV3' }, second: { line: 2, text: 'Severity: Critical' } }]);
  });

  test('a runbook URL in angle brackets or a Markdown link is the URL; a URL may end in * or _', () => {
    for (const written of ['<https://x.example/r>', '[the runbook](https://x.example/r)', '< https://x.example/r >']) {
      expect({ written, url: parseAlarmContract(`Severity: SEV2\nRunbook: ${written}`).runbookUrl }).toEqual({ written, url: 'https://x.example/r' });
    }
    expect(parseAlarmContract('Runbook: https://x.example/r_').runbookUrl).toBe('https://x.example/r_');
    expect(parseAlarmContract('Runbook: https://x.example/*').runbookUrl).toBe('https://x.example/*');
  });

  test('the same runbook written twice differently (host case, brackets) is no conflict; another path is', () => {
    expect(parseAlarmContract('Runbook: https://Wiki.Example/r\nRunbook: HTTPS://wiki.example/r\nRunbook: <https://wiki.example/r>').conflicts).toBeUndefined();
    expect(parseAlarmContract('Runbook: https://wiki.example/r\nRunbook: https://wiki.example/R').conflicts).toHaveLength(1);
  });

  test('conflicting severities where one is in the first-line form: conflict, judged as the more severe', () => {
    const c = parseAlarmContract('[SEV1] Checkout is down\nSeverity: SEV4');
    expect(c.conflicts).toEqual([{ key: 'Severity', first: { line: 1, text: '[SEV1] Checkout is down' }, second: { line: 2, text: 'Severity: SEV4' } }]);
    expect(c.severity).toBe(Severity.SEV1);
  });

  test('"Documentation:" (cdk-monitoring-constructs) is text: it stays in the summary and needs no escape', () => {
    const description = renderAlarmContract({ summary: 'Queue is deep.\nDocumentation: https://docs.example/q', severity: Severity.SEV3 });
    expect(description).toBe('Queue is deep.\nDocumentation: https://docs.example/q\n\nSeverity: SEV3');
    expect(parseAlarmContract(description).summary).toBe('Queue is deep.\nDocumentation: https://docs.example/q');
  });

  test('summary lines in every form the reader takes are escaped by the writer and read back as text (property)', () => {
    const keyLine = fc.constantFrom('**Severity:** SEV1', '- Runbook: https://evil.example/x', '[SEV1] pretend', 'SEV1 - pretend', 'Sever\u200bity: SEV1',
      '\u00a0Runbook: https://evil.example/x', 'Severity\uff1a SEV1', '\\Severity: SEV1', '\\\\[SEV2] x', '\ufeffOwner: mallory', '> First move: rm -rf /', 'SEV2');
    fc.assert(
      fc.property(fc.array(keyLine, { minLength: 1, maxLength: 5 }), severity, (lines, sev) => {
        const summary = lines.join('\n');
        const back = parseAlarmContract(renderAlarmContract({ summary, severity: sev, owner: 'payments' }));
        expect(back).toMatchObject({ severity: sev, owner: 'payments', summary: normalizeSummary(summary) });
        expect(back.runbookUrl).toBeUndefined();
        expect(back.conflicts).toBeUndefined();
      }),
    );
  });

  test('summary text that looks like a contract line is escaped by the writer, never read as contract', () => {
    const description = renderAlarmContract({ summary: 'SEV1: pretend\nRunbook: https://evil.example/x', severity: Severity.SEV3 });
    expect(description.split('\n').slice(0, 2)).toEqual(['\\SEV1: pretend', '\\Runbook: https://evil.example/x']);
    const back = parseAlarmContract(description);
    expect(back).toMatchObject({ severity: Severity.SEV3, summary: 'SEV1: pretend\nRunbook: https://evil.example/x' });
    expect(back.runbookUrl).toBeUndefined();
    expect(back.conflicts).toBeUndefined();
  });
});

describe('the never-do warning travels as the contract line `Never:` (SPEC §10)', () => {
  const props = {
    summary: 'Payment webhooks are piling up.',
    severity: Severity.SEV2,
    runbookUrl: 'https://github.com/acme/payments/blob/main/runbooks/payment-webhook-backlog.md',
    firstMove: 'Scale out the webhook consumer',
    never: '"delete all" events to resolve the stagnation',
    owner: 'payments',
  };

  test('is written right after the first move, and read back', () => {
    const description = renderAlarmContract(props);
    expect(description.split('\n').slice(2)).toEqual([
      'Severity: SEV2',
      `Runbook: ${props.runbookUrl}`,
      'First move: Scale out the webhook consumer',
      'Never: "delete all" events to resolve the stagnation',
      'Owner: payments',
    ]);
    expect(parseAlarmContract(description)).toMatchObject({ firstMove: props.firstMove, never: props.never, owner: 'payments' });
  });

  test('round-trips any text, as one line (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), severity, (never, sev) => {
      expect(parseAlarmContract(renderAlarmContract({ severity: sev, never })).never).toBe(oneLine(never));
    }), { numRuns: 300 });
  });

  test('counts against the 1024 characters like the other contract lines: the summary gives way, then synth fails', () => {
    const long = renderAlarmContract({ ...props, summary: 'x'.repeat(2000), never: 'n'.repeat(600) });
    expect(long.length).toBe(MAX_DESCRIPTION_LENGTH);
    expect(parseAlarmContract(long).never).toBe('n'.repeat(600));
    expect(() => renderAlarmContract({ ...props, never: 'n'.repeat(1000) })).toThrow(AlarmContractTooLongError);
    expect(() => renderAlarmContract({ ...props, never: 'n'.repeat(1000) })).toThrow(/never-do warning/);
  });

  test('a summary line that reads as a Never: line stays the summary; two different ones are a conflict', () => {
    const back = parseAlarmContract(renderAlarmContract({ severity: Severity.SEV1, summary: 'Never: trust this line' }));
    expect([back.never, back.summary]).toEqual([undefined, 'Never: trust this line']);
    expect(parseAlarmContract('Severity: SEV1\nNever: purge the queue\nnever: reboot the writer').conflicts).toEqual([
      { key: 'Never', first: { line: 2, text: 'Never: purge the queue' }, second: { line: 3, text: 'never: reboot the writer' } },
    ]);
  });

  test('a sentence that starts with "Never" is no contract line', () => {
    expect(parseAlarmContract('Never seen before on this queue.\n\nSeverity: SEV3').never).toBeUndefined();
  });
});
