import * as fc from 'fast-check';
import { escapeShortened } from '../../lib/notification/escape';

describe('escapeShortened', () => {
  test('a long plain text keeps the whole budget, ending with …', () => {
    const out = escapeShortened('x'.repeat(4800), 1200);
    expect(out).toHaveLength(1200);
    expect(out.endsWith('…')).toBe(true);
  });

  test('entities count against the budget and are never cut in half (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '&', '<', '>', ' ', 'é'), maxLength: 3000 }), fc.integer({ min: 10, max: 2000 }), (text, max) => {
        const out = escapeShortened(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/[<>]/);
        // Text without characters to escape keeps exactly the budget.
        if (!/[&<>\s]/.test(text) && text.length > max) expect(out.length).toBe(max);
      }),
      { numRuns: 300 },
    );
  });
});
