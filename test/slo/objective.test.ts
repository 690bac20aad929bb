import * as fc from 'fast-check';
import { Route } from '../../lib/core/severity';
import {
  DAY, HOUR, IndicatorForm, MINUTE, budgetStatusOf, burnFactorOf, burnRateExpression, burnRateOf, defaultBurnRateTiers, errorBudgetOf, eventsOf, readSloRecord, suppressionOrder,
  targetProblems, tierProblems, windowLabel, windowSuffix,
} from '../../lib/slo/objective';
import { evaluate, parseExpression } from '../support/cloudwatch-model';

describe('the error budget of a target', () => {
  test.each([[99.9, 0.001, 1000], [99.95, 0.0005, 2000], [99.99, 0.0001, 10000], [99, 0.01, 100], [99.5, 0.005, 200], [95, 0.05, 20]])(
    '%p %% leaves %p of events, a burn factor of %p', (target, budget, factor) => {
      expect(errorBudgetOf(target)).toBe(budget);
      expect(burnFactorOf(target)).toBe(factor);
    });

  test('integer counts burning at exactly a rate give exactly that rate through the alarm expression (no binary noise at the threshold)', () => {
    const targets = [99, 99.5, 99.9, 99.95, 99.99];
    fc.assert(fc.property(fc.constantFrom(...targets), fc.constantFrom(14.4, 6, 1, 13.44, 5.6, 3), fc.integer({ min: 1, max: 50 }), (target, rate, k) => {
      // valid events such that bad = rate × budget × valid is a whole number
      const valid = k * 1_000_000;
      const bad = Math.round(rate * errorBudgetOf(target) * valid);
      const ast = parseExpression(burnRateExpression(IndicatorForm.BAD_OF_VALID, burnFactorOf(target)));
      const value = evaluate(ast, (id) => new Map([[0, id === 'bad' ? bad : valid]]), [0]) as Map<number, number>;
      expect(value.get(0)).toBe(rate);
      expect(burnRateOf({ bad, valid }, target)).toBe(rate);
    }));
  });

  test('targets are percentages above 0 and below 100', () => {
    expect(targetProblems(99.9)).toEqual([]);
    expect(targetProblems(100)).toEqual(['target must be above 0 and below 100 (percent, e.g. 99.9), got 100']);
    expect(targetProblems(0.999)).toEqual([]); // a valid, if unusual, percentage
    expect(targetProblems(Number.NaN)[0]).toMatch(/must be a number of percent/);
  });
});

describe('the default alerts', () => {
  test('30 days: 14.4× over 1 h / 5 min and 6× over 6 h / 30 min page; above 1× over 3 days / 6 h opens a ticket', () => {
    expect(defaultBurnRateTiers(30)).toEqual([
      { name: 'FastBurn', route: Route.PAGE, burnRate: 14.4, longWindowSeconds: HOUR, shortWindowSeconds: 5 * MINUTE },
      { name: 'SlowBurn', route: Route.PAGE, burnRate: 6, longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * MINUTE },
      { name: 'Ticket', route: Route.TICKET, burnRate: 1, longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * HOUR },
    ]);
  });

  test('for every period from 7 to 31 days: the pages are 2 % of the budget in an hour and 5 % in six, and CloudWatch can run them', () => {
    for (let days = 7; days <= 31; days++) {
      const [fast, slow, ticket] = defaultBurnRateTiers(days);
      expect((fast.burnRate * fast.longWindowSeconds) / (days * DAY)).toBeCloseTo(0.02, 6);
      expect((slow.burnRate * slow.longWindowSeconds) / (days * DAY)).toBeCloseTo(0.05, 6);
      expect(ticket.burnRate).toBe(1);
      expect(tierProblems(defaultBurnRateTiers(days), 99.9, days * DAY)).toEqual([]);
    }
  });
});

describe('CloudWatch limits on the alerts', () => {
  const tier = (longWindowSeconds: number, shortWindowSeconds: number) => ({ name: 'T', route: Route.PAGE, burnRate: 2, longWindowSeconds, shortWindowSeconds });

  test('any window in whole minutes up to 7 days, short under long, is accepted; anything longer is refused', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 7 * 24 * 60 }), fc.integer({ min: 1, max: 7 * 24 * 60 }), (longMin, shortMin) => {
      fc.pre(shortMin < longMin);
      expect(tierProblems([tier(longMin * MINUTE, shortMin * MINUTE)], 99.9, 30 * DAY)).toEqual([]);
    }));
    fc.assert(fc.property(fc.integer({ min: 7 * 24 * 60 + 1, max: 30 * 24 * 60 }), (longMin) => {
      expect(tierProblems([tier(longMin * MINUTE, HOUR)], 99.9, 30 * DAY).join('\n')).toMatch(/longer than a CloudWatch alarm can look back \(7 days\)/);
    }));
  });

  test('names must be unique and usable in alarm names; there must be at least one alert', () => {
    expect(tierProblems([tier(HOUR, 300), tier(HOUR, 300)], 99.9, 30 * DAY)).toEqual(['alert "T": two alerts have this name; names must be unique']);
    expect(tierProblems([{ ...tier(HOUR, 300), name: 'fast burn' }], 99.9, 30 * DAY)[0]).toMatch(/name must be 1 to 32 letters and digits/);
    expect(tierProblems([], 99.9, 30 * DAY)).toEqual(['alerts is empty: give at least one BurnRateAlert.page(...)']);
  });

  test('suppression order: pages before tickets, each from the fastest burn', () => {
    const order = suppressionOrder([
      { route: Route.TICKET, burnRate: 1, name: 'a' }, { route: Route.PAGE, burnRate: 6, name: 'b' }, { route: Route.TICKET, burnRate: 3, name: 'c' }, { route: Route.PAGE, burnRate: 14.4, name: 'd' },
    ]);
    expect(order.map((t) => t.name)).toEqual(['d', 'b', 'c', 'a']);
  });

  test('window labels and alarm name suffixes', () => {
    expect([300, 1800, HOUR, 6 * HOUR, DAY, 3 * DAY].map(windowLabel)).toEqual(['5 min', '30 min', '1 h', '6 h', '1 day', '3 days']);
    expect([300, 1800, HOUR, 6 * HOUR, 3 * DAY].map(windowSuffix)).toEqual(['5m', '30m', '1h', '6h', '3d']);
  });
});

describe('events and the budget', () => {
  test('each indicator form counts bad and valid events the way its alarm expression does', () => {
    expect(eventsOf(IndicatorForm.BAD_OF_VALID, { bad: 3, valid: 1000 })).toEqual({ bad: 3, valid: 1000 });
    expect(eventsOf(IndicatorForm.BAD_OF_VALID, { valid: 1000 })).toEqual({ bad: 0, valid: 1000 }); // errors not published when zero
    expect(eventsOf(IndicatorForm.GOOD_OF_VALID, { good: 997, valid: 1000 })).toEqual({ bad: 3, valid: 1000 });
    expect(eventsOf(IndicatorForm.GOOD_AND_BAD, { good: 997, bad: 3 })).toEqual({ bad: 3, valid: 1000 });
    expect(eventsOf(IndicatorForm.LATENCY, { fast: 99.5, count: 1000 })).toEqual({ bad: 5, valid: 1000 });
    expect(eventsOf(IndicatorForm.LATENCY, {})).toEqual({ bad: 0, valid: 0 });
  });

  test('the budget of a period: consumed is the burn rate over the whole period; none left below 0', () => {
    expect(budgetStatusOf({ bad: 216, valid: 432_000 }, 99.9)).toEqual({ consumed: 0.5, remaining: 0.5 });
    expect(budgetStatusOf({ bad: 0, valid: 0 }, 99.9)).toEqual({ consumed: 0, remaining: 1 });
    expect(budgetStatusOf({ bad: 648, valid: 432_000 }, 99.9).remaining).toBeCloseTo(-0.5, 12);
  });

  test('an SLO record from the assembly is read back, and a broken one says what is wrong', () => {
    expect(readSloRecord({ version: 2 })).toMatch(/version 2 is not one this version of runbook-alarms reads/);
    expect(readSloRecord({ version: 1, name: 'x' })).toMatch(/a field is missing or invalid/);
    expect(readSloRecord({ version: 1, name: 'x', form: 'bad/valid', targetPercent: 99.9, periodDays: 30, indicatorAlarmName: 'x/F/1h', tiers: [{ name: 'F' }] }))
      .toBe('tier "F" is missing a field');
  });
});
