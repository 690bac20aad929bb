import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { parseAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { SLACK_LIMITS, SlackMessage, renderSlackMessage } from '../../lib/notification/slack-message';
import { AlarmNotification, notificationsFromEvent, parseAlarmNotification } from '../../lib/notification/sns-message';
import { CONTRACT, SNS_FIXTURES, alarmMessage, expectSafeAndWithinLimits, readJson, sampleFiles, snsEvent, textsOf } from './slack-helpers';

const render = (message: unknown, options = {}): SlackMessage => {
  const [n] = notificationsFromEvent(snsEvent(message));
  return renderSlackMessage(n, options);
};
const allText = (m: SlackMessage) => [m.text, ...textsOf(m).map((t) => t.text.text)].join('\n');
const buttons = (m: SlackMessage) => m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const header = (m: SlackMessage) => m.blocks[0].text!.text;

describe('the sample notifications', () => {
  const files = sampleFiles();

  test('the fixtures are here (copied from ../shared with their LICENSE and SOURCE)', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(fs.existsSync(path.join(SNS_FIXTURES, 'SOURCE.txt'))).toBe(true);
    expect(fs.existsSync(path.join(SNS_FIXTURES, 'lambda-cloudwatch-slack', 'LICENSE'))).toBe(true);
  });

  test.each(sampleFiles().map((f) => [f.startsWith(SNS_FIXTURES) ? path.relative(SNS_FIXTURES, f) : f, f]))('%s renders a safe message naming the alarm', (_name, file) => {
    const notifications = notificationsFromEvent(readJson(file));
    expect(notifications).toHaveLength(1);
    const n = notifications[0];
    expect(n.unreadableMessage).toBeUndefined();
    const m = renderSlackMessage(n);
    expectSafeAndWithinLimits(m);
    expect(m.text).toContain(n.alarmName);
    expect(header(m)).toContain(n.alarmName);
    expect(buttons(m).map((b) => b.text.text)).toContain('View alarm');
    // Samples without our contract are delivered all the same, marked as having no runbook.
    if (!parseAlarmContract(n.alarmDescription).runbookUrl) {
      expect(m.text).toMatch(/^\[NO SEVERITY\] (ALARM|RESOLVED): .*(— no runbook)?$/);
      expect(buttons(m).map((b) => b.text.text)).toEqual(['View alarm']);
    }
  });

  test('metric math: the expression and its inputs are shown', () => {
    const m = renderSlackMessage(notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'lambda-cloudwatch-slack/sns-cloudwatch-event-metricmath.json')))[0]);
    const t = allText(m);
    expect(t).toContain('`m1*100*m2 - MIN(m1)`');
    expect(t).toContain('AWS/EC2 CPUUtilization');
    expect(t).toContain('&gt; 1000');
  });

  test('composite: the rule and the triggering children are listed', () => {
    const m = renderSlackMessage(notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'lambda-cloudwatch-slack/sns-cloudwatch-composite-event.json')))[0]);
    const t = allText(m);
    expect(t).toContain('*Triggered by:*');
    expect(t).toMatch(/• Alarm1 — ALARM\n• Alarm2 — ALARM/);
    expect(t).toContain('ALARM("Alarm1") AND ALARM("Alarm2")');
    expect(buttons(m)[0].url).toBe('https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#alarmsV2:alarm/composite-alarm');
  });

  test('a null description is a notification without a runbook, not an error', () => {
    const m = renderSlackMessage(notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'lambda-cloudwatch-slack/sns-cloudwatch-event.json')))[0]);
    expect(allText(m)).toContain('*No runbook.*');
    expect(allText(m)).toContain('(DBInstanceIdentifier=app)');
    expect(m.text).toBe('[NO SEVERITY] ALARM: awsrds-app-High-DB-Connections — no runbook');
  });

  test('the region code comes from an ARN, else from the region name', () => {
    const tf = renderSlackMessage(notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'terraform-aws-notify-slack/events/cloudwatch_alarm.json')))[0]);
    expect(buttons(tf)[0].url).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Example');
    // Topic ARN (us-east-1) wins over the region name the message carries.
    const msg = renderSlackMessage(notificationsFromEvent(readJson(path.join(SNS_FIXTURES, 'terraform-aws-notify-slack/messages/cloudwatch_alarm.json')))[0]);
    expect(buttons(msg)[0].url).toContain('region=us-east-1');
  });
});

describe('an alarm with a contract', () => {
  const m = render(alarmMessage());

  test('text fallback: [SEV2] ALARM: <name> — <first move>', () => {
    expect(m.text).toBe('[SEV2] ALARM: Payments/WebhookBacklog — Scale out the webhook consumer to drain the backlog');
  });

  test('header names severity, state and alarm', () => {
    expect(m.blocks[0].type).toBe('header');
    expect(header(m)).toBe('🔴 SEV2 · ALARM · Payments/WebhookBacklog');
  });

  test('the summary, the first move set apart between dividers, and the reason', () => {
    const types = m.blocks.map((b) => b.type);
    const fm = m.blocks.findIndex((b) => b.text?.text.includes('*First move*'));
    expect(types[fm - 1]).toBe('divider');
    expect(types[fm + 1]).toBe('divider');
    expect(m.blocks[fm].text!.text).toContain('>Scale out the webhook consumer to drain the backlog');
    expect(allText(m)).toContain('Payment webhooks are piling up; charges are not being processed.');
    expect(allText(m)).toContain('*Why:* Threshold Crossed: 3 out of the last 5 datapoints');
  });

  test('fields: severity, old → new state, account, region code, owner, time', () => {
    const fields = m.blocks.find((b) => b.fields)!.fields!.map((f) => f.text);
    expect(fields).toEqual([
      '*Severity*\nSEV2',
      '*State*\nOK → ALARM',
      '*Account*\n123456789012',
      '*Region*\neu-west-1',
      '*Owner*\npayments',
      '*Time*\n<!date^1795400040^{date_short_pretty} {time_secs}|2026-11-23 02:14:00 UTC>',
    ]);
  });

  test('buttons: Open runbook (primary) and View alarm with the name URL-encoded', () => {
    const [runbook, view] = buttons(m);
    expect(runbook).toMatchObject({ text: { text: 'Open runbook' }, url: 'https://github.com/acme/ops/blob/main/runbooks/payment-webhook-backlog.md', style: 'primary' });
    expect(view.text.text).toBe('View alarm');
    expect(view.url).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Payments%2FWebhookBacklog');
    expect(m.blocks[m.blocks.length - 1].type).toBe('actions');
  });

  test('the metric and condition', () => {
    expect(allText(m)).toContain('*Metric:* `AWS/SQS ApproximateNumberOfMessagesVisible` (QueueName=payment-webhooks)');
    expect(allText(m)).toContain('*Condition:* MAXIMUM &gt; 1000 over 5 × 1 min');
  });

  test('the partition picks the console domain', () => {
    const cn = render(alarmMessage({ AlarmArn: 'arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:Payments/WebhookBacklog' }));
    expect(buttons(cn)[1].url).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\/cloudwatch\/home\?region=cn-north-1#/);
  });

  test('\\r\\n descriptions and cdk-monitoring-constructs runbook lines are read', () => {
    const crlf = render(alarmMessage({ AlarmDescription: CONTRACT.replace(/\n/g, '\r\n') }));
    expect(crlf.text).toBe(m.text);
    const cmc = render(alarmMessage({ AlarmDescription: 'Latency is high \r\nRunbook: https://wiki.example.com/latency' }));
    expect(buttons(cmc)[0].url).toBe('https://wiki.example.com/latency');
    expect(cmc.text).toMatch(/^\[NO SEVERITY\] ALARM: /);
  });
});

describe('states', () => {
  test('OK posts a resolved message; SEV1/SEV2 remind that a postmortem is due', () => {
    for (const sev of ['SEV1', 'SEV2']) {
      const m = render(alarmMessage({ NewStateValue: 'OK', OldStateValue: 'ALARM', AlarmDescription: CONTRACT.replace('SEV2', sev) }));
      expect(m.text).toBe(`[${sev}] RESOLVED: Payments/WebhookBacklog — postmortem due`);
      expect(header(m)).toMatch(/^✅ SEV[12] · RESOLVED · /);
      expect(allText(m)).toContain('*Postmortem due.*');
      expect(allText(m)).not.toContain('*First move*');
      expect(buttons(m)[0].style).toBeUndefined();
    }
  });

  test('SEV3/SEV4 resolutions have no postmortem reminder', () => {
    const m = render(alarmMessage({ NewStateValue: 'OK', AlarmDescription: CONTRACT.replace('SEV2', 'SEV3') }));
    expect(m.text).toBe('[SEV3] RESOLVED: Payments/WebhookBacklog');
    expect(allText(m)).not.toContain('Postmortem');
  });

  test('INSUFFICIENT_DATA is distinct from both ALARM and OK', () => {
    const m = render(alarmMessage({ NewStateValue: 'INSUFFICIENT_DATA' }));
    expect(m.text).toMatch(/^\[SEV2\] INSUFFICIENT DATA: Payments\/WebhookBacklog/);
    expect(header(m)).toMatch(/^⚪ /);
    expect(allText(m)).toContain('*The alarm cannot evaluate*');
    expect(allText(m)).not.toContain('RESOLVED');
  });

  test('an unknown state is shown as it came', () => {
    const m = render(alarmMessage({ NewStateValue: 'EXPLODED' }));
    expect(m.text).toMatch(/^\[SEV2\] EXPLODED: /);
    expect(header(m)).toMatch(/^❔ SEV2 · EXPLODED · /);
    expectSafeAndWithinLimits(m);
  });
});

describe('mentions', () => {
  const mentions = [{ severity: Severity.SEV1, mention: '<!subteam^S0INCIDENT>' }, { severity: Severity.SEV2, mention: '<@U0ONCALL>' }];

  test('the configured mention for the severity leads the text and a block, on ALARM only', () => {
    const sev1 = render(alarmMessage({ AlarmDescription: CONTRACT.replace('SEV2', 'SEV1') }), { mentions });
    expect(sev1.text.startsWith('<!subteam^S0INCIDENT> [SEV1] ALARM:')).toBe(true);
    expect(sev1.blocks[1].text!.text).toBe('<!subteam^S0INCIDENT> — SEV1 page');
    expectSafeAndWithinLimits(sev1, ['<!subteam^S0INCIDENT>']);
    const resolved = render(alarmMessage({ NewStateValue: 'OK', AlarmDescription: CONTRACT.replace('SEV2', 'SEV1') }), { mentions });
    expect(allText(resolved)).not.toContain('S0INCIDENT');
    const sev3 = render(alarmMessage({ AlarmDescription: CONTRACT.replace('SEV2', 'SEV3') }), { mentions });
    expect(allText(sev3)).not.toMatch(/S0INCIDENT|U0ONCALL/);
  });

  test('a malformed configured mention is ignored rather than posted raw', () => {
    const m = render(alarmMessage(), { mentions: [{ severity: Severity.SEV2, mention: '<https://evil.example|click>' }] });
    expect(allText(m)).not.toContain('evil');
  });
});

describe('hostile and broken notifications', () => {
  const injections = [
    '<!here> <!channel> <!everyone> @here @channel @everyone',
    '<@U024BE7LH> <!subteam^SAZ94GDB8> <#C024BE7LR> @alice',
    '<https://evil.example/steal|Open runbook> <javascript:alert(1)|x>',
    '&lt;!here&gt; & < > &amp;',
    '```\n<!here>\n``` `<!channel>`',
  ];

  test.each(injections)('alarm text %j can neither mention nor link', (payload) => {
    const m = render(alarmMessage({
      AlarmName: `name ${payload}`,
      AlarmDescription: `${payload}\n\nSeverity: SEV1\nRunbook: https://ok.example/rb\nFirst move: ${payload.replace(/\n/g, ' ')}\nOwner: ${payload.replace(/\n/g, ' ')}`,
      NewStateReason: payload,
      AlarmRule: payload,
      TriggeringChildren: [{ Arn: `arn:aws:cloudwatch:eu-west-1:1:alarm:${payload}`, State: { Value: payload } }],
    }));
    expectSafeAndWithinLimits(m);
    expect(allText(m)).not.toMatch(/<https:\/\/evil/);
  });

  test('& < > are escaped as Slack asks', () => {
    const m = render(alarmMessage({ NewStateReason: 'p99 < 5 & errors > 0' }));
    expect(allText(m)).toContain('*Why:* p99 &lt; 5 &amp; errors &gt; 0');
  });

  test('a runbook that is not an http(s) link gets no button', () => {
    const m = render(alarmMessage({ AlarmDescription: CONTRACT.replace(/Runbook: .*/, 'Runbook: javascript:alert(1)') }));
    expect(buttons(m).map((b) => b.text.text)).toEqual(['View alarm']);
    expect(allText(m)).toContain('*No runbook*');
    expectSafeAndWithinLimits(m);
  });

  test('a 5,000-character reason, summary and name are shortened with … within the limits', () => {
    const long = 'x&<'.repeat(1700);
    const m = render(alarmMessage({
      AlarmName: `A${'n'.repeat(300)}`,
      NewStateReason: long,
      AlarmDescription: `${'s'.repeat(5000)}\n\nSeverity: SEV2\nRunbook: https://ok.example/rb\nFirst move: ${'f'.repeat(5000)}\nOwner: ${'o'.repeat(5000)}`,
    }));
    expectSafeAndWithinLimits(m);
    expect(header(m).endsWith('…')).toBe(true);
    const why = m.blocks.find((b) => b.text?.text.startsWith('*Why:*'))!.text!.text;
    expect(why.endsWith('…')).toBe(true);
    expect(why).not.toMatch(/&(?:a|am|l|g)?…$/); // an entity is never cut in half
  });

  test('60 triggering children and a long rule stay within one section, and the count of the unlisted ones is kept', () => {
    // 20 listed children with names just under the 200-character cap per name (~200-character
    // lines): over 4,000 characters before the section is shortened, whatever the rule adds.
    const children = Array.from({ length: 60 }, (_, i) => ({ Arn: `arn:aws:cloudwatch:eu-west-1:1:alarm:child-${i}-${'c'.repeat(180)}`, State: { Value: 'ALARM' } }));
    const m = render(alarmMessage({ Trigger: undefined, AlarmRule: 'ALARM(x) OR '.repeat(400), TriggeringChildren: children }));
    expectSafeAndWithinLimits(m);
    const watched = m.blocks.filter((b) => b.text?.text.startsWith('*Rule:*'));
    expect(watched).toHaveLength(1);
    const text = watched[0].text!.text;
    expect(text).toContain('*Triggered by:*\n• child-0-ccc');
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const listed = text.match(/^• child-/gm)?.length ?? 0;
    expect(listed).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(new RegExp(`\\n…and ${60 - listed} more$`));
  });

  test('unicode survives, and shortening never splits a surrogate pair', () => {
    const m = render(alarmMessage({ AlarmName: `支払い 💳 ${'🔥'.repeat(100)}`, NewStateReason: 'Überlauf — ñ' }));
    expectSafeAndWithinLimits(m);
    expect(m.text).toContain('支払い 💳');
    expect(allText(m)).toContain('Überlauf — ñ');
    expect(header(m)).not.toMatch(/[\ud800-\udbff]…$/);
  });

  test('a missing ARN and region still give a console link (the console opens its last region)', () => {
    const m = render(alarmMessage({ AlarmArn: undefined, Region: undefined }));
    const [n] = notificationsFromEvent({ Records: [{ Sns: { Message: JSON.stringify(alarmMessage({ AlarmArn: undefined, Region: undefined })) } }] });
    const bare = renderSlackMessage(n);
    expect(buttons(bare)[1].url).toBe('https://console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/Payments%2FWebhookBacklog');
    expect(buttons(m)[1].url).toContain('region=eu-west-1'); // from the topic ARN
  });

  test.each([
    ['not JSON', 'this is { not json'],
    ['JSON but not an alarm', JSON.stringify({ hello: 'world' })],
    ['an empty string', ''],
    ['hostile text', '<!here> please click <https://evil.example|here>'],
  ])('a Message that is %s is still delivered, raw and marked', (_what, message) => {
    const m = render(message);
    expectSafeAndWithinLimits(m);
    expect(m.text).toMatch(/unreadable notification/);
    expect(allText(m)).toContain('*This notification could not be read*');
    expect(header(m)).toMatch(/^⚠️ /);
  });

  test('the subject still names the alarm when the message is unreadable', () => {
    const [n] = notificationsFromEvent({ Records: [{ Sns: { Subject: 'ALARM: "db-down" in EU (Ireland)', Message: 'garbage', MessageId: 'm1' } }] });
    expect(n).toMatchObject({ alarmName: 'db-down', newState: 'ALARM', messageId: 'm1', unreadableReason: 'the message is not JSON' });
  });

  test('fields missing from the message do not stop rendering', () => {
    const m = renderSlackMessage(parseAlarmNotification(JSON.stringify({ AlarmName: 'bare' })));
    expectSafeAndWithinLimits(m);
    expect(m.text).toBe('[NO SEVERITY] UNKNOWN: bare — no runbook');
  });

  test('anything at all renders', () => {
    const odd: unknown[] = [null, 42, [], {}, { Records: 'x' }, { Sns: { Message: { AlarmName: 'obj' } } }, { requestPayload: snsEvent(alarmMessage()) }];
    for (const event of odd) {
      const ns: AlarmNotification[] = notificationsFromEvent(event);
      expect(ns.length).toBeGreaterThanOrEqual(event && typeof event === 'object' && 'Records' in event ? 0 : 1);
      for (const n of ns) expectSafeAndWithinLimits(renderSlackMessage(n));
    }
  });
});

describe('property: any alarm text', () => {
  // Strings built from the characters that matter to Slack, plus anything unicode.
  const slackish = fc.oneof(
    fc.string({ unit: fc.constantFrom('<', '>', '&', '!', '@', '#', '|', '^', '`', '*', '\n', '\r', ' ', 'h', 'e', 'r', 'a', 'U', '1', ':', '/') , maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.constantFrom('<!here>', '@channel', '<https://evil.example|Open runbook>', '<@U123|boss>', '<!subteam^S1>', 'x'.repeat(5000)),
  );

  test('renders safely within the Block Kit limits', () => {
    fc.assert(
      fc.property(slackish, slackish, slackish, slackish, fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA', 'weird'), (name, summary, move, reason, state) => {
        const m = render(alarmMessage({
          AlarmName: name || 'n',
          AlarmDescription: `${summary}\n\nSeverity: SEV1\nRunbook: https://ok.example/rb\nFirst move: ${move.replace(/[\r\n]/g, ' ')}\nOwner: ${move.replace(/[\r\n]/g, ' ')}`,
          NewStateReason: reason,
          NewStateValue: state,
          AlarmRule: reason,
        }));
        expectSafeAndWithinLimits(m);
      }),
      { numRuns: 300 },
    );
  });
});

test('the escalation line of the severity is shown on ALARM only, escaped', () => {
  const escalations = [{ severity: Severity.SEV2, text: 'pages payments-primary; unacknowledged after 15 min → payments-secondary <!here>' }];
  const m = render(alarmMessage(), { escalations });
  expect(allText(m)).toContain(':alarm_clock: *Escalation:* pages payments-primary; unacknowledged after 15 min → payments-secondary &lt;');
  expectSafeAndWithinLimits(m);
  expect(allText(render(alarmMessage({ NewStateValue: 'OK' }), { escalations }))).not.toContain('Escalation');
  expect(allText(render(alarmMessage({ AlarmDescription: CONTRACT.replace('SEV2', 'SEV1') }), { escalations }))).not.toContain('Escalation');
});
