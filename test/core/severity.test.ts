import { Route, Severity } from '../../lib/core/severity';
import { SeverityPolicy } from '../../lib/core/severity';

describe('SeverityPolicy (docs/design/severity.md)', () => {
  test.each([
    [Severity.SEV1, true, Route.PAGE],
    [Severity.SEV2, true, Route.PAGE],
    [Severity.SEV3, false, Route.NOTIFY],
    [Severity.SEV4, false, Route.TICKET],
  ])('%s pages: %s, route: %s', (severity, pages, route) => {
    expect(SeverityPolicy.isPage(severity)).toBe(pages);
    expect(SeverityPolicy.defaultRoute(severity)).toBe(route);
  });

  test.each(['SEV2', 'sev2', 'Sev 2', 'SEV-2', ' SEV2 '])('reads %j as SEV2', (text) => {
    expect(SeverityPolicy.parse(text)).toBe(Severity.SEV2);
  });

  test.each(['P1', 'SEV5', 'SEV0', 'critical', '', 'SEV22'])('rejects %j', (text) => {
    expect(SeverityPolicy.parse(text)).toBeUndefined();
  });
});
