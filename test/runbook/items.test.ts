// The classifier of Mitigate's list items: a step (one of them is the first move), a never-do
// warning, or text a template left to be replaced; a leading label is not part of what it says.
import * as fc from 'fast-check';
import { ItemClass, classifyItem } from '../../lib/runbook/items';

const classify = (text: string) => classifyItem(text, text);

describe('steps and their labels', () => {
  test.each([
    ['Scale out the consumer: `aws ecs update-service --desired-count 10`', undefined, 'Scale out the consumer: `aws ecs update-service --desired-count 10`'],
    ['First move: scale out the consumer to drain the stagnation', 'First move', 'scale out the consumer to drain the stagnation'],
    ['First move (stop the impact fastest): roll back the last deploy', 'First move (stop the impact fastest)', 'roll back the last deploy'],
    ['first step – no, a colon: Step 1: drain', undefined, 'first step – no, a colon: Step 1: drain'],
    ['Step 1: drain the queue', 'Step 1', 'drain the queue'],
    ['Second move: force-close idle connections', 'Second move', 'force-close idle connections'],
    ['2nd move：rate limit', '2nd move', 'rate limit'],
    ['初動（最速で影響を止める）：フィーチャーフラグでOFF', '初動（最速で影響を止める）', 'フィーチャーフラグでOFF'],
    ['If it has crashed: roll back the last deploy', undefined, 'If it has crashed: roll back the last deploy'],
  ])('%s', (text, label, rest) => {
    const item = classify(text);
    expect(item).toMatchObject({ kind: ItemClass.STEP, text: rest });
    expect(item.label).toBe(label);
  });

  test.each([
    ['First move: x', true], ['First move (fastest): x', true], ['Step 1: x', true], ['1st move: x', true], ['Move #1: x', true],
    ['初動: x', true], ['Second move: x', false], ['Step 2: x', false], ['Step 10: x', false], ['Next move: x', false],
  ])('%s names the first move: %s', (text, first) => {
    expect(classify(text).labelledFirst).toBe(first);
  });
});

describe('warnings: never the first move, and what must not be done', () => {
  test.each([
    ['⚠️ What you must never do: "delete all" events to resolve the stagnation', '"delete all" events to resolve the stagnation'],
    ['⚠ Deleting the DLQ loses payments', 'Deleting the DLQ loses payments'],
    [':warning: Never purge the queue', 'purge the queue'],
    ['Do not reboot the writer: a failover drops every in-flight payment transaction.', 'reboot the writer: a failover drops every in-flight payment transaction.'],
    ["Don't restart the primary", 'restart the primary'],
    ['Never scale the writer down', 'scale the writer down'],
    ['You must not delete events', 'delete events'],
    ['Warning: replaying twice double-charges', 'replaying twice double-charges'],
    ['NG: purge-queue', 'purge-queue'],
    ['Things not to do: purge-queue', 'purge-queue'],
    ['Caution: replaying twice double-charges', 'replaying twice double-charges'],
    ['🚫 purge-queue', 'purge-queue'],
    ['絶対にやってはいけないこと：イベントの全件削除', 'イベントの全件削除'],
    ['Never do: purge (e.g. with `aws sqs purge-queue`)', 'purge (e.g. with `aws sqs purge-queue`)'],
  ])('%s', (text, never) => {
    expect(classify(text)).toMatchObject({ kind: ItemClass.WARNING, text: never });
  });

  test.each([
    'Roll back, then check the DLQ',
    'If it has crashed: roll back the last deploy (revert the causing commit)',
    'Scale out the never-idle consumer',
    'Confirm nothing is lost: compare counts',
    'Notify the team lead in #payments: they must know',
    'Check the warning count: `grep -c WARN app.log`',
    'If the consumer must not restart: drain it first',
    'Danger zone cleared? Then: scale back in',
  ])('a step that mentions no prohibition up front is a step: %s', (text) => {
    expect(classify(text).kind).toBe(ItemClass.STEP);
  });
});

describe('template text', () => {
  test.each([
    ['First move (stop the impact fastest): e.g.) OFF with a feature flag / roll back the last deploy', 'e.g.)'],
    ['Second move: e.g.) scale out / rate limit / failover', 'e.g.)'],
    ['Roll back, e.g. with `kubectl rollout undo`', 'e.g.'],
    ['初動: 例) フィーチャーフラグでOFF', '例)'],
    ['Scale out, for example to 10 tasks', 'for example'],
    ['OFF with a feature flag / roll back the last deploy', 'OFF with a feature flag / roll back the last deploy'],
    ['First move: Scale out / rate limit / failover.', 'Scale out / rate limit / failover.'],
    ['Run `aws ecs update-service --desired-count <n>`', '<n>'],
    ['TODO: write the command', 'TODO'],
    ['⚠️ Never do: <the dangerous action>', '<the dangerous action>'],
  ])('%s', (text, marker) => {
    expect(classify(text)).toMatchObject({ kind: ItemClass.TEMPLATE, marker });
  });

  test('placeholders are looked for as written: a rendered `<URL>` is an HTML tag and shows nothing', () => {
    expect(classifyItem('Open <the dashboard URL>', 'Open')).toMatchObject({ kind: ItemClass.TEMPLATE, marker: '<the dashboard URL>' });
  });

  test('words that merely contain the markers are no examples', () => {
    for (const text of ['Restart the Legacy.Gateway node', 'Drain the queue (beg.txt is the dump)', 'Set the egress rule']) {
      expect(classify(text).kind).toBe(ItemClass.STEP);
    }
  });
});

test('any text classifies, and a step keeps every character it had after its label (property)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
    const item = classify(text);
    expect(Object.values(ItemClass)).toContain(item.kind);
    if (item.kind === ItemClass.STEP && item.label === undefined) expect(item.text).toBe(text.trim());
  }));
});

test('classifying is linear: a 100,000-character item takes milliseconds', () => {
  for (const text of ['First move'.padEnd(100_000, ' '), `Never ${'do not '.repeat(15_000)}`, `${'e.'.repeat(50_000)}`, `⚠️${' :'.repeat(50_000)}`]) {
    const start = process.hrtime.bigint();
    classify(text);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(200);
  }
});
