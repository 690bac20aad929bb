// The policy file as teams write it: the guide's own policy verbatim, every key of the format, and
// every problem of a file reported at once at its line and column with the fix in words.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Route, Severity } from '../../lib/core/severity';
import { EscalationPolicy, EscalationPolicyError, parseEscalationPolicy, policyPlace } from '../../lib/policy/policy';
import { POLICY_YAML } from '../support/escalation-setup';
import { GUIDE_CONTACTS, completedGuidePolicy, guidePolicy } from '../support/guide-policy';

const guide = guidePolicy();

/** The problems of a text, one `file:line:col detail` line each ([] when it parses). */
function problems(text: string): string[] {
  try {
    parseEscalationPolicy(text, 'policy.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(EscalationPolicyError);
    return (e as Error).message.split('\n');
  }
  return [];
}
const parse = (text: string): EscalationPolicy => parseEscalationPolicy(text, 'policy.yaml');

describe('the SRE guide\'s policy, verbatim', () => {
  test('its format is read as written: service, the oncall notes, no SEV4; what it leaves undefined is reported at once, each with the fix', () => {
    const found = problems(guide).map((p) => p.replace(/^policy\.yaml:/, ''));
    // Only the names it uses and never defines: not a word about service, oncall or SEV4.
    expect(found).toEqual([
      '5:11 SEV1.page "primary_oncall" is not a contact; add `primary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '7:12 SEV1.then "secondary_oncall" is not a contact; add `secondary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '7:30 SEV1.then "team_lead" is not a contact; add `team_lead:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '8:14 SEV1.notify "eng_manager" is neither a channel nor a contact; write a channel quoted, "#eng_manager", or its ID (C0123ABCD); or add `eng_manager:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '8:27 SEV1.notify "status_page" is neither a channel nor a contact; write a channel quoted, "#status_page", or its ID (C0123ABCD); or add `status_page:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '10:11 SEV2.page "primary_oncall" is not a contact; add `primary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '12:12 SEV2.then "secondary_oncall" is not a contact; add `secondary_oncall:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      '14:13 SEV3.notify "oncall_channel" is neither a channel nor a contact; write a channel quoted, "#oncall_channel", or its ID (C0123ABCD); or add `oncall_channel:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
    ]);
  });

  test('with the contacts a team adds (and its channel quoted), every word of it is read', () => {
    const policy = parse(completedGuidePolicy());
    expect(policy.service).toBe('payment-platform');
    expect(policy.oncall).toEqual({ rotation: 'weekly', handoff: '毎週月曜 10:00、未解決インシデントとRunbook更新を引き継ぐ', compensation: 'time-off-in-lieu（公式準拠：当番を金銭/代休で補償）' });
    expect(policy.routing.map((r) => [r.severity, r.route, !!r.fromTable])).toEqual([['SEV1', 'page', false], ['SEV2', 'page', false], ['SEV3', 'notify', false], ['SEV4', 'ticket', true]]);
    expect(policy.routing[0]).toMatchObject({ page: 'primary_oncall', escalateAfterMinutes: 5, escalateTo: ['secondary_oncall', 'team_lead'], notify: ['eng_manager', 'status_page'] });
    expect(policy.contacts!.map((c) => c.name)).toEqual(['primary_oncall', 'secondary_oncall', 'team_lead', 'eng_manager', 'status_page']);
    expect(policy.contacts![0].rotation).toEqual({
      members: [{ slackMention: '<@U0ALICE>' }, { slackMention: '<@U0BOB>' }, { slackMention: '<@U0CAROL>', snsTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:carol-pager' }],
      everyDays: 7, handoff: 'Mon 10:00', timeZone: 'Asia/Tokyo', start: '2026-01-05',
    });
    expect(policy.contacts![2]).toEqual({ name: 'team_lead', slackMention: '<@U0LEAD>' });
    expect(policy.contacts![4]).toEqual({ name: 'status_page', snsTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:status-page' });
    // The postmortem rules' defaults, in the team's time zone (its rotation's).
    expect(policy.postmortem).toEqual({ requiredFor: ['SEV1', 'SEV2'], dueBusinessDays: 2, limitBusinessDays: 5, timeZone: 'Asia/Tokyo' });
    expect(policyPlace(policy, 'severity_routing.SEV1.escalate_after')).toBe(`policy.yaml:${GUIDE_CONTACTS.split('\n').length + 5}:21`);
  });
});

describe('every problem of a file at once, at its line and column, with the fix', () => {
  const base = `contacts: { primary: "<@U0PRIMARY>", boss: "<@U0BOSS>" }
severity_routing:
  SEV1:
    page: primary
  SEV2:
    page: primary
  SEV3:
    notify: "#alerts"
  SEV4:
    ticket: OPS
`;
  const cases: Array<[string, string, string[]]> = [
    ['invalid YAML', 'severity_routing:\n  SEV1: [page\n', ['policy.yaml:3:1 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['an unknown severity', base.replace('SEV4:', 'SEV5:'), ['policy.yaml:9:3 "SEV5" is not a severity; use SEV1, SEV2, SEV3 or SEV4']],
    ['a misspelt key', base.replace('    page: primary\n  SEV2', '    page: primary\n    escalate_afer: 5m\n  SEV2'),
      ['policy.yaml:5:5 unknown key "escalate_afer" under SEV1; did you mean "escalate_after"? (keys here: page, escalate_after, then, notify, ticket, respond_within)']],
    ['a key in the wrong place', `${base}escalate_after: 5m\n`,
      ['policy.yaml:11:1 unknown key "escalate_after"; it belongs under <SEVn> (keys here: service, contacts, severity_routing, oncall, postmortem)']],
    ['a bad duration', base.replace('    page: primary\n  SEV2', '    page: primary\n    escalate_after: soon\n    then: primary\n  SEV2'),
      ['policy.yaml:5:21 SEV1.escalate_after must be a duration such as 5m, 15m or 1h (it is "soon")']],
    ['then without escalate_after', base.replace('    page: primary\n  SEV2', '    page: primary\n    then: boss\n  SEV2'),
      ['policy.yaml:5:11 SEV1.then needs escalate_after: say after how long "boss" is paged (e.g. escalate_after: 5m)']],
    ['escalate_after without then', base.replace('    page: primary\n  SEV2', '    page: primary\n    escalate_after: 5m\n  SEV2'),
      ['policy.yaml:5:21 SEV1.escalate_after needs then: name who is paged when nobody acknowledges (e.g. then: secondary_oncall), or remove escalate_after']],
    ['a SEV1 that does not page', base.replace('    page: primary\n  SEV2', '    notify: "#x"\n  SEV2'), ['policy.yaml:3:3 SEV1 must page (it means an outage); add page: <contact>']],
    ['a severity routed nowhere', base.replace('    ticket: OPS\n', '    {}\n'), ['policy.yaml:9:3 SEV4 routes nowhere; give it page, notify or ticket (or leave SEV4 out: it then takes the severity table\'s route, ticket)']],
    ['an unquoted #channel (a YAML comment)', base.replace('notify: "#alerts"', 'notify: #alerts'),
      ['policy.yaml:8:13 SEV3.notify must be a list of a channel ("#name", quoted, or an ID) or a contact name, or one of them (it is empty: unquoted, a #name is a YAML comment; quote it, "#name")']],
    ['a channel name Slack would refuse', base.replace('"#alerts"', '"#Payments Alerts"'),
      ['policy.yaml:8:13 SEV3.notify "#Payments Alerts" is not a Slack channel name: lowercase letters, digits, -, _ and . (at most 80), e.g. "#payments-alerts"']],
    ['no severity_routing key', 'routing: {}\n', [
      'policy.yaml:1:1 unknown key "routing" (keys here: service, contacts, severity_routing, oncall, postmortem)',
      'policy.yaml:1:1 the file needs `severity_routing:`; add one entry per severity, e.g. SEV1: { page: primary_oncall } (severities left out take the severity table\'s route)']],
    ['a misspelt top-level key', base.replace('severity_routing:', 'severity_routng:'),
      ['policy.yaml:2:1 unknown key "severity_routng"; did you mean "severity_routing"? (keys here: service, contacts, severity_routing, oncall, postmortem)']],
    ['a severity listed twice', base.replace('  SEV4:', '  sev-3:\n    notify: "#x"\n  SEV4:'), ['policy.yaml:9:3 SEV3 is written twice; keep one']],
  ];
  test.each(cases)('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  test('leaving severities out is not a problem: they take the severity table\'s route', () => {
    const policy = parse('severity_routing:\n  SEV1:\n    page: oncall\n');
    expect(policy.routing.map((r) => [r.route, !!r.fromTable])).toEqual([['page', false], ['page', true], ['notify', true], ['ticket', true]]);
    expect(policy.routing[1].page).toBeUndefined();
  });

  test('many problems of many kinds: all of them, in file order, in one round', () => {
    const text = `service: "<!here> payments"
contacts:
  primary:
    slack: "@alice"
  lead:
    sms: +15550100
severity_routing:
  SEV1:
    pager: primary
  SEV2:
    page: primary
    escalate_after: 5m
    then: [secondary, lead, lead]
  SEV3:
    notify: [on_call_channel]
extra: 1
`;
    const found = problems(text);
    expect(found).toEqual([
      'policy.yaml:1:10 service must be a service name such as payment-platform (one line, at most 100 characters) (it is "<!here> payments")',
      'policy.yaml:4:12 contacts.primary.slack must be a user "<@U0123ABCD>" or a user group "<!subteam^S0123ABCD>", quoted (@here and @channel are not contacts) (it is "@alice"); Slack mentions are IDs in angle brackets: find the ID in the person\'s profile (⋮ → Copy member ID)',
      'policy.yaml:6:5 unknown key "sms" under contacts.lead; did you mean "sns"? (keys here: slack, sns, rotation)',
      'policy.yaml:9:5 unknown key "pager" under SEV1; did you mean "page"? (keys here: page, escalate_after, then, notify, ticket, respond_within)',
      'policy.yaml:13:12 SEV2.then "secondary" is not a contact; add `secondary:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      'policy.yaml:13:29 SEV2.then lists "lead" twice; each entry is the next escalation level',
      'policy.yaml:15:14 SEV3.notify "on_call_channel" is neither a channel nor a contact; write a channel quoted, "#on_call_channel", or its ID (C0123ABCD); or add `on_call_channel:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
      'policy.yaml:16:1 unknown key "extra" (keys here: service, contacts, severity_routing, oncall, postmortem)',
    ]);
    // Fixed as the lines say, it reads: nothing was held back for a second round.
    expect(problems(text.replace('"<!here> payments"', 'payments').replace('"@alice"', '"<@U0ALICE>"').replace('sms: +15550100', 'slack: "<@U0LEAD>"')
      .replace('pager:', 'page:').replace('secondary, lead, lead', 'lead').replace('[on_call_channel]', '"#on-call"').replace('extra: 1\n', ''))).toEqual([]);
  });

  test('a page label needs no contact while the file has no contacts section and nothing else needs one', () => {
    expect(parse('severity_routing:\n  SEV1:\n    page: payments-pagerduty\n    notify: "#incidents"\n').routing[0].page).toBe('payments-pagerduty');
    // A then (or a notify that is not a channel) needs contacts: every name is then checked, page included.
    expect(problems('severity_routing:\n  SEV1:\n    page: payments-pagerduty\n    notify: eng_manager\n')).toHaveLength(2);
  });
});

describe('contacts and rotations', () => {
  test('the escalation tests\' policy: contacts map names to a mention and/or a topic; then: [a, b] is one level each', () => {
    const parsed = parseEscalationPolicy(POLICY_YAML, 'policy.yaml');
    expect(parsed.contacts).toEqual([
      { name: 'primary_oncall', slackMention: '<!subteam^S0PRIMARY>' },
      { name: 'secondary_oncall', slackMention: '<@U0SECOND>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:secondary-pager' },
      { name: 'team_lead', slackMention: '<@U0LEAD>', snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:team-lead-sms' },
    ]);
    expect(parsed.routing[0]).toMatchObject({ page: 'primary_oncall', escalateAfterMinutes: 5, then: 'secondary_oncall', escalateTo: ['secondary_oncall', 'team_lead'] });
    expect(parsed.routing[1]).toMatchObject({ then: 'secondary_oncall', escalateTo: ['secondary_oncall'] });
  });

  test('a name paged but not defined: at its place, with the closest contact', () => {
    expect(problems(POLICY_YAML.replace('then: [secondary_oncall, team_lead]', 'then: [secondary_oncal, team_lead]'))).toEqual([
      'policy.yaml:15:12 SEV1.then "secondary_oncal" is not a contact; did you mean "secondary_oncall"?; add `secondary_oncal:` under `contacts:` with a `slack:` mention or an `sns:` topic (or a `rotation:`)',
    ]);
  });

  test('contact values: every problem with file:line:col', () => {
    const broken = POLICY_YAML
      .replace('slack: "<!subteam^S0PRIMARY>"', 'slack: "@here"')
      .replace('sns: arn:aws:sns:eu-west-1:123456789012:team-lead-sms', 'sns: arn:aws:sns:eu-west-1:123456789012:lead.fifo');
    expect(problems(broken)).toEqual([
      'policy.yaml:4:12 contacts.primary_oncall.slack must be a user "<@U0123ABCD>" or a user group "<!subteam^S0123ABCD>", quoted (@here and @channel are not contacts) (it is "@here"); Slack mentions are IDs in angle brackets: find the ID in the person\'s profile (⋮ → Copy member ID)',
      'policy.yaml:10:10 contacts.team_lead.sns must be an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic> (it is "arn:aws:sns:eu-west-1:123456789012:lead.fifo"); FIFO topics need a message group: use a standard topic',
    ]);
    expect(problems(POLICY_YAML.replace('  team_lead:\n    slack: "<@U0LEAD>"\n    sns: arn:aws:sns:eu-west-1:123456789012:team-lead-sms', '  team_lead: {}'))).toEqual([
      'policy.yaml:8:14 contact team_lead reaches no one; give it slack: "<@U0123ABCD>" and/or sns: <topic ARN>, or a rotation:',
    ]);
    expect(problems(POLICY_YAML.replace('contacts:', 'contact:'))[0]).toBe('policy.yaml:2:1 unknown key "contact"; did you mean "contacts"? (keys here: service, contacts, severity_routing, oncall, postmortem)');
  });

  const rotationPolicy = (rotation: string) => `contacts:
  primary:
    rotation:
${rotation.replace(/^/gm, '      ')}
severity_routing:
  SEV1:
    page: primary
`;
  const good = `members: ["<@U0ALICE>", "<@U0BOB>"]
every: weekly
handoff: Mon 10:00
time_zone: Europe/Berlin
start: 2026-01-05`;

  test('a rotation: members, every, handoff, time zone, start, overrides', () => {
    const r = parse(rotationPolicy(`${good}\noverrides:\n  - { from: 2026-12-24T10:00, to: "2026-12-27 10:00", slack: "<@U0CAROL>" }`)).contacts![0].rotation!;
    expect(r).toEqual({
      members: [{ slackMention: '<@U0ALICE>' }, { slackMention: '<@U0BOB>' }], everyDays: 7, handoff: 'Mon 10:00', timeZone: 'Europe/Berlin', start: '2026-01-05',
      overrides: [{ from: '2026-12-24T10:00', to: '2026-12-27T10:00', slackMention: '<@U0CAROL>' }],
    });
    expect(parse(rotationPolicy(good.replace('weekly', '14d').replace('Mon 10:00', '"monday 9:30"').replace('Europe/Berlin', 'europe/berlin'))).contacts![0].rotation)
      .toMatchObject({ everyDays: 14, handoff: 'Mon 09:30', timeZone: 'Europe/Berlin' });
  });

  test('a rotation written wrong: each problem at its place, all at once', () => {
    const bad = `members: ["<@U0ALICE>", { sns: not-an-arn }]
every: fortnightly
handoff: Monday morning
time_zone: Europe/Berln
start: 2026-02-30
overrides:
  - { from: 2026-12-24T10:00, to: 2026-12-27T10:00, slack: "<@U0CAROL>" }
  - { from: 2026-12-26T10:00+01:00, to: 2026-12-28T10:00, slack: "<@U0DAVE>" }
  - { from: 2026-12-26T10:00, to: 2026-12-28T10:00, slack: "<@U0DAVE>" }`;
    expect(problems(rotationPolicy(bad))).toEqual([
      'policy.yaml:4:38 contacts.primary.rotation.members[1].sns must be an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic> (it is "not-an-arn")',
      'policy.yaml:5:14 contacts.primary.rotation.every must be daily, weekly or a number of days such as 14d (it is "fortnightly")',
      'policy.yaml:6:16 contacts.primary.rotation.handoff must be a weekday and a time such as "Mon 10:00" (or a time alone, "10:00") (it is "Monday morning")',
      'policy.yaml:7:18 contacts.primary.rotation.time_zone must be an IANA time zone such as Europe/Berlin or Asia/Tokyo (it is "Europe/Berln"); did you mean "Europe/Berlin"?',
      'policy.yaml:8:14 contacts.primary.rotation.start must be a date, YYYY-MM-DD (it is "2026-02-30")',
      'policy.yaml:11:19 contacts.primary.rotation.overrides[1].from must be a local time in the rotation\'s time zone, YYYY-MM-DDTHH:MM (no offset) (it is "2026-12-26T10:00+01:00"); leave the offset out: the time is read in the rotation\'s time_zone',
    ]);
    const overlapping = `${good}\noverrides:\n  - { from: 2026-12-24T10:00, to: 2026-12-27T10:00, slack: "<@U0CAROL>" }\n  - { from: 2026-12-26T10:00, to: 2026-12-28T10:00, slack: "<@U0DAVE>" }\n  - { from: 2026-12-30T10:00, to: 2026-12-29T10:00, slack: "<@U0DAVE>" }`;
    expect(problems(rotationPolicy(overlapping))).toEqual([
      'policy.yaml:11:11 contacts.primary.rotation.overrides[1] overlaps overrides[0]; one person is on call at a time: split the time between them',
      'policy.yaml:12:11 contacts.primary.rotation.overrides[2] ends before it starts; to: comes after from:',
    ]);
    expect(problems(rotationPolicy('members: ["<@U0ALICE>"]'))).toEqual([
      'policy.yaml:4:7 contacts.primary.rotation needs `every:`; say how long a shift is: daily, weekly or 14d',
      'policy.yaml:4:7 contacts.primary.rotation needs `handoff:`; say when shifts change hands, e.g. handoff: "Mon 10:00"',
      'policy.yaml:4:7 contacts.primary.rotation needs `time_zone:`; name the time zone the handoff is in, e.g. time_zone: Europe/Berlin',
      'policy.yaml:4:7 contacts.primary.rotation needs `start:`; give the day the first member\'s first shift starts (at the first handoff on or after it), e.g. start: 2026-01-05',
    ]);
    expect(problems(rotationPolicy(`${good}\ntimezone: UTC`))).toEqual([
      'policy.yaml:9:7 unknown key "timezone" under contacts.primary.rotation; did you mean "time_zone"? (keys here: members, every, handoff, time_zone, start, overrides)',
    ]);
    expect(problems(`contacts:\n  primary:\n    slack: "<@U0A>"\n    time_zone: UTC\nseverity_routing:\n  SEV1:\n    page: primary\n`)).toEqual([
      'policy.yaml:4:5 unknown key "time_zone" under contacts.primary; it belongs under contacts.<name>.rotation or postmortem (keys here: slack, sns, rotation)',
    ]);
    expect(problems(`contacts:\n  primary:\n    slack: "<@U0A>"\n    rotation:\n${good.replace(/^/gm, '      ')}\nseverity_routing:\n  SEV1:\n    page: primary\n`)).toEqual([
      'policy.yaml:3:12 contacts.primary has rotation: and slack:; the people of a rotation are its members: move them into members, or make this a contact of its own',
    ]);
  });
});

describe('postmortem rules', () => {
  test('read with their defaults filled in', () => {
    expect(parse(`${POLICY_YAML}postmortem:\n  required_for: [SEV1, SEV2, sev3]\n  longer_than: 1h\n  due: 3\n  time_zone: Europe/Paris\n`).postmortem)
      .toEqual({ requiredFor: [Severity.SEV1, Severity.SEV2, Severity.SEV3], longerThanMinutes: 60, dueBusinessDays: 3, limitBusinessDays: 5, timeZone: 'Europe/Paris' });
    expect(parse(POLICY_YAML).postmortem).toEqual({ requiredFor: ['SEV1', 'SEV2'], dueBusinessDays: 2, limitBusinessDays: 5, timeZone: 'UTC' });
  });

  test('written wrong', () => {
    expect(problems(`${POLICY_YAML}postmortem:\n  required_for: SEV5\n  longer_than: a while\n  due: 48h\n  limit: 1\n  when: always\n`)).toEqual([
      'policy.yaml:25:17 postmortem.required_for[0] must be a severity, SEV1 to SEV4 (it is "SEV5")',
      'policy.yaml:26:16 postmortem.longer_than must be a duration such as 5m, 15m or 1h (it is "a while")',
      'policy.yaml:27:8 postmortem.due must be a number of business days, e.g. 2 (it is "48h")',
      'policy.yaml:29:3 unknown key "when" under postmortem (keys here: required_for, longer_than, due, limit, time_zone)',
    ]);
    expect(problems(`${POLICY_YAML}postmortem:\n  due: 3\n  limit: 2\n`)).toEqual(['policy.yaml:25:8 postmortem.due (3 business days) is after postmortem.limit (2); due comes first']);
  });
});

describe('properties', () => {
  const contactName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
  const userId = fc.stringMatching(/^U[0-9A-Z]{8}$/);

  test('any policy written in the format reads back every word; the same policy with one name misspelt names that use', () => {
    const policy = fc.record({
      names: fc.uniqueArray(contactName, { minLength: 2, maxLength: 6 }),
      users: fc.array(userId, { minLength: 6, maxLength: 6 }),
      rotate: fc.boolean(),
      minutes: fc.integer({ min: 1, max: 120 }),
      levels: fc.integer({ min: 0, max: 3 }),
      sev3: fc.constantFrom('notify', 'ticket', 'omit', 'page'),
      channel: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
      quoteStyle: fc.constantFrom('flow', 'block'),
    });
    fc.assert(fc.property(policy, (g) => {
      const [first, ...rest] = g.names;
      const levels = rest.slice(0, g.levels);
      const contacts: Record<string, unknown> = {};
      g.names.forEach((n, i) => {
        contacts[n] = i === 0 && g.rotate
          ? { rotation: { members: [`<@${g.users[0]}>`, { slack: `<@${g.users[1]}>`, sns: `arn:aws:sns:eu-west-1:123456789012:${n}-pager` }], every: 'weekly', handoff: 'Mon 09:00', time_zone: 'Europe/Berlin', start: '2026-01-05' } }
          : { slack: `<@${g.users[i]}>`, sns: `arn:aws:sns:eu-west-1:123456789012:${n}` };
      });
      const sev1: Record<string, unknown> = { page: first, notify: [`#${g.channel}`, ...(rest.length > g.levels ? [rest[g.levels]] : [])] };
      if (levels.length) Object.assign(sev1, { escalate_after: `${g.minutes}m`, then: levels });
      const routing: Record<string, unknown> = { SEV1: sev1, SEV2: { page: first } };
      if (g.sev3 === 'notify') routing.SEV3 = { notify: `#${g.channel}` };
      if (g.sev3 === 'ticket') routing.SEV3 = { ticket: 'OPS' };
      if (g.sev3 === 'page') routing.SEV3 = { page: first };
      const doc = { service: 'payments', contacts, severity_routing: routing };
      const text = stringify(doc, g.quoteStyle === 'flow' ? { collectionStyle: 'flow' } : {});
      const parsed = parseEscalationPolicy(text, 'p.yaml');
      expect(parsed.contacts!.map((c) => c.name)).toEqual(g.names);
      expect(parsed.routing[0]).toMatchObject({ route: Route.PAGE, page: first, ...(levels.length ? { escalateAfterMinutes: g.minutes, escalateTo: levels } : {}) });
      expect(parsed.routing[2].route).toBe(g.sev3 === 'notify' || g.sev3 === 'omit' ? Route.NOTIFY : g.sev3 === 'ticket' ? Route.TICKET : Route.PAGE);
      expect(!!parsed.routing[2].fromTable).toBe(g.sev3 === 'omit');
      // Misspell the page contact: every use of it is named, and nothing else.
      const wrong = `${first}x`;
      const misspelt = stringify({ ...doc, severity_routing: { ...routing, SEV1: { ...sev1, page: wrong }, SEV2: { page: wrong } } });
      const found = problems(misspelt.replace(/p\.yaml/g, 'policy.yaml'));
      expect(found).toHaveLength(2);
      for (const p of found) expect(p).toContain(`page "${wrong}" is not a contact`);
    }), { numRuns: 100 });
  });

  test('any YAML at all: a policy or an EscalationPolicyError with file:line:col lines, never another error', () => {
    const value = fc.oneof(fc.anything(), fc.record({ severity_routing: fc.anything(), contacts: fc.anything(), oncall: fc.anything(), postmortem: fc.anything(), service: fc.anything() }, { requiredKeys: [] }));
    fc.assert(fc.property(value, (v) => {
      let text: string;
      try {
        text = stringify(v);
      } catch {
        return;
      }
      if (typeof text !== 'string') return;
      try {
        parseEscalationPolicy(text, 'p.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(EscalationPolicyError);
        for (const line of (e as Error).message.split('\n')) expect(line).toMatch(/^p\.yaml:\d+:\d+ \S/);
      }
    }), { numRuns: 300 });
  });
});

test('the policy docs/escalation-policy.md shows first is a policy: it reads, every word of it', () => {
  const doc = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'docs', 'escalation-policy.md'), 'utf8') as string;
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
  const policy = parse(yaml);
  expect(policy.service).toBe('payment-platform');
  expect(policy.contacts!.map((c) => c.name)).toEqual(['primary_oncall', 'secondary_oncall', 'team_lead', 'status_page']);
  expect(policy.routing.map((r) => [r.route, !!r.fromTable])).toEqual([['page', false], ['page', false], ['notify', false], ['ticket', true]]);
  expect(policy.postmortem).toMatchObject({ requiredFor: ['SEV1', 'SEV2'], dueBusinessDays: 2, timeZone: 'Europe/Berlin' });
});
