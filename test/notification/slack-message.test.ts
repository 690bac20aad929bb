import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { parseAlarmContract } from '../../lib/core/contract';
import { Severity } from '../../lib/core/severity';
import { NOTICE_MESSAGE, SLACK_LIMITS, SlackBlock, SlackElement, SlackMessage, blockKitProblems, renderNotification, renderSlackMessage } from '../../lib/notification/slack-message';
import { AlarmNotification, notificationsFromEvent, parseAlarmNotification } from '../../lib/notification/sns-message';
import { CONTRACT, SNS_FIXTURES, alarmMessage, expectSafeAndWithinLimits, readJson, sampleFiles, snsEvent, textsOf } from '../support/slack';

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

describe('what broke the renderer before (issue 11), each now a message within the limits', () => {
  const fields = (m: SlackMessage) => m.blocks.find((b) => b.fields)?.fields?.map((f) => f.text) ?? [];

  test.each(['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'])('ComparisonOperator and Region %j are shown as written, not read from Object.prototype', (name) => {
    const m = render({ AlarmName: 'x', NewStateValue: 'ALARM', Region: name, Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', ComparisonOperator: name } });
    expectSafeAndWithinLimits(m);
    expect(allText(m)).toContain(`*Condition:* ${name}`);
    // The topic ARN of the test event gives the region code; without it, the name is shown.
    const [n] = notificationsFromEvent({ AlarmName: 'x', NewStateValue: 'ALARM', Region: name });
    expect(fields(renderSlackMessage(n))).toContain(`*Region*\n${name}`);
  });

  test('a lone surrogate in AlarmName or at the end of AlarmArn becomes U+FFFD, and the View alarm link is encoded', () => {
    const m = render({ AlarmName: 'db\ud800', NewStateValue: 'ALARM' });
    expectSafeAndWithinLimits(m);
    expect(header(m)).toContain('db\ufffd');
    expect(buttons(m)[0].url).toMatch(/alarm\/db%EF%BF%BD$/);
    const [n] = notificationsFromEvent({ AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:db\udc00', NewStateValue: 'ALARM' });
    const fromArn = renderSlackMessage(n);
    expectSafeAndWithinLimits(fromArn);
    expect(buttons(fromArn)[0].url).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/db%EF%BF%BD');
  });

  test('a runbook URL is measured once percent-encoded: 1,418 characters with é (8,418 encoded) get no button, and say why', () => {
    const long = `https://wiki.example.com/${'é'.repeat(1393)}`;
    expect(long.length).toBe(1418);
    const m = render(alarmMessage({ AlarmDescription: CONTRACT.replace(/Runbook: .*/, `Runbook: ${long}`) }));
    expectSafeAndWithinLimits(m);
    expect(buttons(m).map((b) => b.text.text)).toEqual(['View alarm']);
    expect(allText(m)).toContain("is longer than Slack's 3000 characters once encoded");
    // Just within the limit once encoded: the button is there, with the encoded URL.
    const fits = `https://wiki.example.com/${'é'.repeat(495)}`;
    const ok = render(alarmMessage({ AlarmDescription: CONTRACT.replace(/Runbook: .*/, `Runbook: ${fits}`) }));
    const url = buttons(ok)[0].url!;
    expect(url).toBe(new URL(fits).href);
    expect(url.length).toBeLessThanOrEqual(3000);
  });

  test('a severity of 19 letters and an emoji, and a 30-character state ending in an emoji, leave no lone surrogate', () => {
    const m = render({ AlarmName: 'x', NewStateValue: `${'S'.repeat(29)}👍`, AlarmDescription: `Severity: ${'a'.repeat(19)}👍` });
    expectSafeAndWithinLimits(m);
    expect(header(m)).toContain(`${'a'.repeat(19)}… (not a severity)`);
    expect(m.text).toContain(`[${'a'.repeat(19)}… (not a severity)] ${'S'.repeat(29)}…:`);
    expect(fields(m)[0]).toBe(`*Severity*\n${'a'.repeat(19)}… (not a severity)`);
  });

  test('a header cut never splits an emoji sequence: the family is kept whole or left out whole', () => {
    const family = '👨‍👩‍👧‍👦';
    for (let pad = 110; pad < 140; pad++) {
      const h = header(render(alarmMessage({ AlarmName: `${'n'.repeat(pad)}${family}${family}` })));
      expect(h.length).toBeLessThanOrEqual(150);
      const name = h.split(' · ').pop()!;
      expect(name.replace(new RegExp(family, 'g'), '')).toMatch(/^n+…?$/);
    }
  });

  test('a time outside what a Slack date can show is shown as written', () => {
    for (const t of ['0001-01-01T00:00:00.000+0000', '+275760-09-13T00:00:00.000Z', '1969-12-31T23:59:59.000+0000']) {
      const m = render(alarmMessage({ StateChangeTime: t }));
      expectSafeAndWithinLimits(m);
      expect(fields(m)).toContain(`*Time*\n${t}`);
    }
  });

  test('a dimension or query id that is an object (even one whose toString is not a function) renders', () => {
    const m = render(alarmMessage({ Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: [{ name: { toString: 1 }, value: 'v' }], Metrics: [{ Id: { toString: 1 }, Expression: 'm1*2' }] } }));
    expectSafeAndWithinLimits(m);
  });

  test('long lists are bounded and say how many are left out', () => {
    const queries = Array.from({ length: 500 }, (_, i) => ({ Id: `m${i}`, MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'X' } } }));
    const dims = Array.from({ length: 500 }, (_, i) => ({ name: `d${i}`, value: 'v' }));
    const math = render(alarmMessage({ Trigger: { Metrics: [{ Id: 'e1', Expression: 'SUM(METRICS())' }, ...queries] } }));
    expectSafeAndWithinLimits(math);
    expect(allText(math)).toContain('…and 490 more');
    const many = render(alarmMessage({ Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: dims } }));
    expectSafeAndWithinLimits(many);
  });
});

describe('renderNotification: the fallback forms', () => {
  test('a notification the renderer cannot read as designed is posted in the "could not be read" form, and says why', () => {
    const [n] = notificationsFromEvent(snsEvent(alarmMessage()));
    // A JavaScript caller's options whose getter throws: the render as designed fails.
    const options = { get mentions(): never { throw new Error('boom'); } };
    const out = renderNotification(n, options);
    expect(out.form).toBe('unreadable');
    expect(out.problem).toMatch(/rendering failed: Error: boom/);
    expectSafeAndWithinLimits(out.message);
    expect(header(out.message)).toContain('Payments/WebhookBacklog');
    expect(allText(out.message)).toContain('*This notification could not be read*');
    expect(allText(out.message)).toContain('Scale out the webhook consumer');
  });

  test('anything at all as the notification: never throws, always a message within the limits (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withObjectString: true, withSparseArray: true }), fc.anything(), (n, options) => {
        const out = renderNotification(n as AlarmNotification, options as object);
        expectSafeAndWithinLimits(out.message);
        expect(['whole', 'unreadable']).toContain(out.form);
      }),
      { numRuns: 300 },
    );
  });

  test('the last-resort notice is itself within the limits', () => {
    expectSafeAndWithinLimits(NOTICE_MESSAGE);
    expect(blockKitProblems(NOTICE_MESSAGE)).toEqual([]);
  });

  test('a notification whose every read throws still gets the notice, never an exception', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, has: () => { throw new Error('no'); } });
    const out = renderNotification(hostile as AlarmNotification);
    expect(out.form).toBe('notice');
    expect(out.message).toBe(NOTICE_MESSAGE);
  });
});

describe('blockKitProblems: the check every message passes before it is sent', () => {
  const ok = render(alarmMessage());
  const withBlock = (b: SlackBlock): SlackMessage => ({ text: 'x', blocks: [b] });
  const md = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
  const btn = (url: string, id = 'a'): SlackElement => ({ type: 'button', text: { type: 'plain_text', text: 'Open' }, url, action_id: id });

  test('a rendered message passes', () => {
    expect(blockKitProblems(ok)).toEqual([]);
  });

  test.each<[string, SlackMessage, RegExp]>([
    ['51 blocks', { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, /blocks: 51 > 50/],
    ['a header of 151', withBlock({ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }), /151 > 150/],
    ['a section of 3001', withBlock(md('s'.repeat(3001))), /3001 > 3000/],
    ['an empty section', withBlock(md('  ')), /empty text/],
    ['11 fields', withBlock({ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }), /11 fields/],
    ['a lone surrogate', withBlock(md('a\ud800')), /lone surrogate/],
    ['a live <!here>', withBlock(md('<!here>')), /unescaped < or >/],
    ['a live @channel', withBlock(md('@channel')), /live @mention/],
    ['a bare &', withBlock(md('a & b')), /unescaped &/],
    ['a URL not encoded', withBlock({ type: 'actions', elements: [btn('https://x.example/é')] }), /not an encoded http\(s\) URL/],
    ['a URL of 3001', withBlock({ type: 'actions', elements: [btn(`https://x.example/${'a'.repeat(2983)}`)] }), /url of 3001 > 3000/],
    ['a javascript: URL', withBlock({ type: 'actions', elements: [btn('javascript:alert(1)')] }), /not an encoded http/],
    ['a repeated action_id', withBlock({ type: 'actions', elements: [btn('https://a.example/'), btn('https://b.example/')] }), /repeated/],
    ['a mention in the text fallback', { text: '<!channel> x', blocks: [md('x')] }, /text: unescaped/],
  ])('finds %s', (_what, message, problem) => {
    expect(blockKitProblems(message).join('\n')).toMatch(problem);
  });

  test('configured mentions and Slack dates are our own tokens', () => {
    const date = '<!date^1795400040^{date_short_pretty} {time_secs}|2026-11-23 02:14:00 UTC>';
    expect(blockKitProblems({ text: '<!subteam^S0INCIDENT> x', blocks: [md(`<!subteam^S0INCIDENT> ${date}\n>quote`)] }, ['<!subteam^S0INCIDENT>'])).toEqual([]);
    expect(blockKitProblems({ text: 'x', blocks: [md('<!subteam^S0OTHER>')] }, ['<!subteam^S0INCIDENT>'])).not.toEqual([]);
  });
});
