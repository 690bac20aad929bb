// The pictures are well-formed SVG whatever the names in them (who is on call, alarm names), empty
// periods included.
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { pagesPerShiftSvg, timesSvg, xmlText } from '../../lib/health/charts';
import { computeHealth } from '../../lib/health/health';
import { PERIOD, TZ } from '../support/health-fixture';

test('property: valid XML for any names, severities and times', () => {
  fc.assert(fc.property(fc.array(fc.record({ name: fc.string(), who: fc.string(), hours: fc.integer({ min: 0, max: 95 }), mtta: fc.option(fc.integer({ min: 0, max: 10 ** 7 })) }), { maxLength: 40 }), (xs) => {
    const facts = xs.map((x, i) => ({ incidentId: `i${i}`, alarmName: x.name, severity: ['SEV1', 'SEV2', 'SEV3', 'junk'][i % 4], firedAt: PERIOD.from + x.hours * 3_600_000, mttaSeconds: x.mtta ?? undefined, mttrSeconds: 30 }));
    const shifts = xs.slice(0, 3).map((x, i) => ({ from: PERIOD.from + i * 86_400_000, to: PERIOD.from + (i + 1) * 86_400_000, who: x.who }));
    const r = computeHealth(facts, { ...PERIOD, shifts, timeZone: TZ });
    for (const svg of [pagesPerShiftSvg(r), timesSvg(r, 'mtta'), timesSvg(r, 'mttr')]) expect(XMLValidator.validate(svg)).toBe(true);
  }), { numRuns: 100 });
});

test('an empty period says so', () => {
  const r = computeHealth([], { ...PERIOD, timeZone: TZ });
  expect(timesSvg(r, 'mtta')).toContain('no acknowledged incidents in this period');
  expect(XMLValidator.validate(pagesPerShiftSvg(r))).toBe(true);
});

test('text for XML: markup escaped, characters XML cannot hold replaced', () => {
  expect(xmlText('<@U1> & "x"\u0001\ud800')).toBe('&lt;@U1&gt; &amp; &quot;x&quot;\ufffd\ufffd');
});
