import * as fc from 'fast-check';
import { AlarmContractCodec, AlarmContractTooLongError, Severity, parseAlarmContract, renderAlarmContract } from '../lib';
import { MAX_DESCRIPTION_LENGTH, normalizeSummary } from '../lib/core/contract';

const severity = fc.constantFrom(Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4);
// Values as the codec stores them: one line, no outer whitespace.
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim() || undefined;

describe('renderAlarmContract / parseAlarmContract', () => {
  test('renders the SPEC §3 format: summary, blank line, one Key: value line per field', () => {
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
    expect(plain.summary).toBe('P99 latency is above 1s');
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
