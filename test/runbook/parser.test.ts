// The runbook parser reads the body as CommonMark: what a renderer shows as a heading, a
// checklist item or a link is what the rules see, with file lines and columns.
import { LineKind, LinkKind } from '../../lib/runbook/markdown';
import { RunbookSectionName } from '../../lib/runbook/parser';
import { BASE, parse, variant } from './helpers';

const FRONT = '---\ntitle: x\nowner: orders\nlast_updated: 2026-11-01\nseverity: SEV2\n---\n'; // 6 lines

const sectionNames = (text: string) => parse(text).sections.map((s) => s.heading.section ?? s.heading.text);

describe('the first move', () => {
  test('is the whole first checklist item under Mitigate: wrapped lines joined, inline code kept', () => {
    const doc = parse(variant([
      '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`',
      '- [ ] Scale out the webhook consumer to\n  drain the backlog: `aws ecs update-service --cluster payments\n  --service webhook-consumer --desired-count 12`\n- [ ] Then check the DLQ.',
    ]));
    expect(doc.firstMove).toBe(
      'Scale out the webhook consumer to drain the backlog: `aws ecs update-service --cluster payments --service webhook-consumer --desired-count 12`',
    );
    const mitigate = doc.sections.find((s) => s.heading.section === RunbookSectionName.MITIGATE)!;
    expect(mitigate.checklist.map((c) => [c.line, c.text])).toEqual([
      [20, expect.stringMatching(/^Scale out the webhook consumer to drain/)],
      [23, 'Then check the DLQ.'],
    ]);
  });

  test('a lazy continuation line (not indented) is part of the item too', () => {
    const doc = parse(variant(['- [ ] Scale out the consumer: `aws', '- [ ] Scale out the consumer\nto 10 tasks: `aws']));
    expect(doc.firstMove).toMatch(/^Scale out the consumer to 10 tasks: `aws ecs update-service/);
  });

  test('the item text stops at the end of its first paragraph (a nested command block is not part of it)', () => {
    const doc = parse(variant([
      '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`',
      '- [ ] Scale out the consumer:\n  ```bash\n  aws ecs update-service --desired-count 10\n  ```',
    ]));
    expect(doc.firstMove).toBe('Scale out the consumer:');
  });

  test('skips items that are only a placeholder; checked items and ordered lists count', () => {
    expect(parse(variant(['- [ ] Scale out the consumer:', '- [ ] <the first move>\n- [x] Scale out the consumer:'])).firstMove)
      .toMatch(/^Scale out the consumer: `aws/);
    expect(parse(variant(['- [ ] Scale out', '3) [ ] Scale out'])).firstMove).toMatch(/^Scale out the consumer/);
  });

  test('a checklist item inside an HTML comment or a code block is not an item', () => {
    const doc = parse(variant(['## Mitigate\n', '## Mitigate\n<!--\n- [ ] Restart everything\n-->\n```\n- [ ] Delete the queue\n```\n']));
    expect(doc.firstMove).toMatch(/^Scale out the consumer/);
    expect(doc.sections.find((s) => s.heading.section === RunbookSectionName.MITIGATE)!.checklist).toHaveLength(1);
  });

  test('`[ ]` that is not at the start of an item, or has no text, is no checklist item', () => {
    const doc = parse(variant(['- [ ] Scale out', '- Scale out [ ] now\n- [ ]\n- [ ] Scale out']));
    expect(doc.sections.find((s) => s.heading.section === RunbookSectionName.MITIGATE)!.checklist.map((c) => c.line)).toEqual([22]);
  });
});

describe('fenced code', () => {
  const nested = [
    '## Triage\n',
    '## Triage\n````markdown\n```bash\naws sqs get-queue-attributes\n```\n## Verify\n- [ ] not a step\n````\n',
  ] as [string, string];

  test('fences nest: a ``` line inside a ```` fence does not close it, so a ## Verify inside is no section', () => {
    const doc = parse(variant(nested));
    expect(doc.headings.filter((h) => h.section === RunbookSectionName.VERIFY).map((h) => h.line)).toEqual([29]);
    expect(sectionNames(variant(nested))).toEqual(['Symptom', 'Detect', 'Triage', 'Mitigate', 'Verify', 'Comms', 'Postmortem']);
    expect(doc.lines.slice(15, 23).map((l) => l.kind)).toEqual([
      LineKind.FENCE, LineKind.CODE, LineKind.CODE, LineKind.CODE, LineKind.CODE, LineKind.CODE, LineKind.FENCE, LineKind.TEXT,
    ]);
    expect(doc.lines[17].inCode).toBe(true);
  });

  test('a ~~~ fence is not closed by ``` (and the reverse)', () => {
    const doc = parse(`${FRONT}## Triage\n~~~\n\`\`\`\n## Verify\n~~~\n`);
    expect(doc.headings.map((h) => h.text)).toEqual(['Triage']);
  });

  test('an unclosed fence runs to the end of the file', () => {
    const doc = parse(`${FRONT}## Triage\n\`\`\`bash\nls\n## Verify\n`);
    expect(doc.headings.map((h) => h.text)).toEqual(['Triage']);
    expect(doc.lines.slice(7, 10).map((l) => l.kind)).toEqual([LineKind.FENCE, LineKind.CODE, LineKind.CODE]);
  });

  test('an indented code block holds no heading', () => {
    const doc = parse(`${FRONT}## Triage\nRun this:\n\n    ## Verify\n    ls\n`);
    expect(doc.headings.map((h) => h.text)).toEqual(['Triage']);
    expect(doc.lines[9].kind).toBe(LineKind.CODE);
  });
});

describe('headings', () => {
  test('setext headings count: Verify underlined with ------ is the Verify section, the title underlined with ===== is the h1', () => {
    const text = variant(['# Runbook: Orders queue backlog', 'Runbook: Orders queue backlog\n============================='], ['## Verify', 'Verify\n------']);
    const doc = parse(text);
    expect(doc.headings[0]).toMatchObject({ line: 7, endLine: 8, level: 1, text: 'Runbook: Orders queue backlog' });
    const verify = doc.sections.find((s) => s.heading.section === RunbookSectionName.VERIFY)!;
    expect(verify.heading).toMatchObject({ line: 23, endLine: 24, level: 2, text: 'Verify' });
    expect(verify.lines[0].line).toBe(25); // the underline is part of the heading, not of the section
    expect(verify.checklist.map((c) => c.text)).toEqual(['Queue depth under 50 for 10 minutes.']);
    expect(doc.lines[23].kind).toBe(LineKind.HEADING);
  });

  test('a setext heading over two lines is one heading, its text joined', () => {
    const doc = parse(`${FRONT}How to\nmitigate\n---\n- [ ] Scale out\n`);
    expect(doc.headings).toEqual([expect.objectContaining({ line: 7, endLine: 9, level: 2, text: 'How to mitigate' })]);
  });

  test('headings inside an HTML comment do not count', () => {
    const doc = parse(variant(['## Comms', '<!--\n## Comms (draft)\n## Postmortem\n-->\n## Comms']));
    expect(doc.headings.map((h) => h.text)).not.toContain('Comms (draft)');
    expect(doc.headings.filter((h) => h.section === RunbookSectionName.POSTMORTEM)).toHaveLength(1);
    expect(doc.lines.slice(24, 28).map((l) => l.kind)).toEqual([LineKind.COMMENT, LineKind.COMMENT, LineKind.COMMENT, LineKind.COMMENT]);
  });

  test('headings inside a list item or a block quote are not sections', () => {
    const doc = parse(`${FRONT}## Triage\n- step\n  ## Verify\n> ## Comms\n`);
    expect(doc.headings.map((h) => h.text)).toEqual(['Triage']);
  });

  test('ATX details: closing #s are dropped, `#x` is no heading, up to 3 spaces of indent are fine', () => {
    const doc = parse(`${FRONT}## Mitigate ##\n#hashtag\n   ## Verify\n`);
    expect(doc.headings.map((h) => [h.line, h.text, h.section])).toEqual([[7, 'Mitigate', RunbookSectionName.MITIGATE], [9, 'Verify', RunbookSectionName.VERIFY]]);
  });
});

describe('links', () => {
  test('inline links, images and reference definitions, at the line and column of their `[` (or `!`)', () => {
    const doc = parse(`${FRONT}See [contacts](contacts.md) and ![graph](img/graph.png "Graph").\nA [reference][idx] and a [shortcut].\n\n[idx]: ../index.md\n  [shortcut]: <docs/a b.md>\n`);
    expect(doc.links).toEqual([
      { line: 7, column: 5, target: 'contacts.md', kind: LinkKind.INLINE },
      { line: 7, column: 33, target: 'img/graph.png', kind: LinkKind.IMAGE },
      { line: 10, column: 1, target: '../index.md', kind: LinkKind.REFERENCE_DEFINITION },
      { line: 11, column: 3, target: 'docs/a b.md', kind: LinkKind.REFERENCE_DEFINITION },
    ]);
  });

  test('a link in a wrapped paragraph or a list item is placed on its own line', () => {
    const doc = parse(`${FRONT}- First line of the item\n  and then [the link](x.md).\n\n> quoted [link](q.md)\n`);
    expect(doc.links.map((l) => [l.line, l.column, l.target])).toEqual([[8, 12, 'x.md'], [10, 10, 'q.md']]);
  });

  test('what only looks like a link is none: code spans, code blocks, HTML comments, `[x] (y)`', () => {
    const doc = parse(`${FRONT}Run \`[a](b.md)\` or [text] (c.md).\n\n\`\`\`\n[d](d.md)\n\`\`\`\n<!-- [e](e.md) -->\n\n    [f](f.md)\n`);
    expect(doc.links).toEqual([]);
  });

  test('a destination in <...> may hold spaces; escapes are resolved; the title is not the target', () => {
    const doc = parse(`${FRONT}[a](<my file.md> "t") [b](b\\_c.md 't')\n`);
    expect(doc.links.map((l) => l.target)).toEqual(['my file.md', 'b_c.md']);
  });

  test('a label defined twice is one link target (the first; CommonMark ignores the second)', () => {
    const doc = parse(`${FRONT}[x]\n\n[x]: first.md\n[X]: second.md\n`);
    expect(doc.links.map((l) => [l.line, l.target])).toEqual([[9, 'first.md']]);
  });
});

describe('lines and positions', () => {
  test('CRLF and CR line endings keep line numbers', () => {
    const doc = parse(BASE.replace(/\n/g, '\r\n'));
    expect(doc.sections.map((s) => s.heading.line)).toEqual(parse(BASE).sections.map((s) => s.heading.line));
    expect(parse(BASE.replace(/\n/g, '\r')).firstMove).toBe(parse(BASE).firstMove);
  });

  test('a byte order mark and NUL characters change nothing else', () => {
    const doc = parse(`\uFEFF${BASE.replace('Orders stay', 'Orders\0 stay')}`);
    expect(doc.frontMatter.owner).toBe('orders');
    expect(doc.sections.map((s) => s.heading.line)).toEqual(parse(BASE).sections.map((s) => s.heading.line));
  });

  test('front matter lines are front matter, not markdown (its --- is no setext underline)', () => {
    const doc = parse(BASE);
    expect(doc.lines.slice(0, 6).every((l) => l.kind === LineKind.FRONT_MATTER)).toBe(true);
    expect(doc.headings[0]).toMatchObject({ line: 7, level: 1 });
  });

  test('without front matter, the body starts on line 1', () => {
    const doc = parse('# Runbook: x\n\n## Mitigate\n- [ ] Fail over\n');
    expect(doc.bodyStartLine).toBe(1);
    expect(doc.headings.map((h) => h.line)).toEqual([1, 3]);
    expect(doc.firstMove).toBe('Fail over');
  });

  test('a section runs to the next level-1 or level-2 heading; sub-headings stay inside', () => {
    const doc = parse(`${FRONT}## Triage\n### Known causes\ntext\n# Appendix\n## Mitigate\n`);
    expect(doc.sections.map((s) => [s.heading.text, s.lines.map((l) => l.line)])).toEqual([['Triage', [8, 9]], ['Mitigate', [12]]]);
  });
});

describe('the first move is plain text, as the reader sees it (it goes to Slack and the alarm description)', () => {
  const MOVE = '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`';
  const firstMove = (item: string) => parse(variant([MOVE, item])).firstMove;

  test.each([
    ['a link: its text and the URL', '- [ ] Open [the orders dashboard](https://grafana.example.com/d/orders) and scale out', 'Open the orders dashboard (https://grafana.example.com/d/orders) and scale out'],
    ['a reference link', '- [ ] Open [the dashboard][dash] now\n\n[dash]: https://grafana.example.com/d/orders', 'Open the dashboard (https://grafana.example.com/d/orders) now'],
    ['an autolink: the URL once', '- [ ] Open <https://grafana.example.com/d/orders> now', 'Open https://grafana.example.com/d/orders now'],
    ['a relative link: only its text (a path means nothing in Slack)', '- [ ] Follow [the failover](contacts.md) steps', 'Follow the failover steps'],
    ['emphasis', '- [ ] **Stop** the _consumer_ now', 'Stop the consumer now'],
    ['inline HTML', '- [ ] Scale <b>out</b> the consumer<br>now', 'Scale out the consumer now'],
    ['entities and escapes', '- [ ] Drain orders &amp; refunds, then delete \\*.tmp', 'Drain orders & refunds, then delete *.tmp'],
    ['a hard line break (two spaces)', '- [ ] Scale out  \n  the consumer', 'Scale out the consumer'],
    ['a hard line break (backslash)', '- [ ] Scale out\\\n  the consumer', 'Scale out the consumer'],
    ['an image: its alt text', '- [ ] Press ![the red button](https://x.example/b.png) once', 'Press the red button once'],
    ['inline code, kept as written', '- [ ] Run `kill -9 $(pgrep -f **consumer**)` now', 'Run `kill -9 $(pgrep -f **consumer**)` now'],
  ])('%s', (_what, item, expected) => {
    expect(firstMove(item)).toBe(expected);
  });

  test.each([
    ['`* [ ]`', '* [ ] Star'], ['`+ [x]`', '+ [x] Star'], ['`1. [ ]`', '1. [ ] Star'], ['a tab after the marker', '-\t[ ] Star'],
    ['a nested sub-list (the item\'s own text only)', '- [ ] Star\n  - [ ] sub-step\n  - note'],
    ['an empty item before it', '- [ ]\n- [ ] Star'],
    ['a sub-heading before the list', '### Step 1\n- [ ] Star'],
    ['a quoted checklist (a renderer shows a checkbox)', '> - [ ] Star'],
  ])('the item forms: %s', (_what, item) => {
    expect(firstMove(item)).toBe('Star');
  });

  test('CRLF, a byte order mark and both give the same first move and the same line numbers', () => {
    const lf = parse(BASE);
    for (const text of [BASE.replace(/\n/g, '\r\n'), `\uFEFF${BASE}`, `\uFEFF${BASE.replace(/\n/g, '\r\n')}`]) {
      const doc = parse(text);
      expect(doc.firstMove).toBe(lf.firstMove);
      expect(doc.sections.map((s) => [s.heading.line, s.checklist.map((c) => c.line)])).toEqual(lf.sections.map((s) => [s.heading.line, s.checklist.map((c) => c.line)]));
    }
  });
});

describe('section headings as people write them', () => {
  test.each([
    ['## Verify ##'], ['## **Verify**'], ['## `Verify`'], ['## VERIFY'], ['## Verify:'], ['## 4. Verify'], ['## 4) Verify'],
    ['## Step 4: Verify'], ['## ✅ Verify'], ['## [Verify](#verify)'], ['<h2>Verify</h2>'], ['<h2 id="verify">Verify</h2>'],
  ])('%s is the Verify section', (heading) => {
    const doc = parse(variant(['## Verify\n', `${heading}\n\n`]));
    const verify = doc.sections.find((s) => s.heading.section === RunbookSectionName.VERIFY);
    expect(verify).toBeDefined();
    expect(verify!.checklist.map((c) => c.text)).toEqual(['Queue depth under 50 for 10 minutes.']);
  });

  test('an HTML heading inside other HTML, or not on its own, is no section', () => {
    expect(parse(variant(['## Verify\n', '<div><h2>Verify</h2></div>\n\n'])).sections.map((s) => s.heading.section)).not.toContain(RunbookSectionName.VERIFY);
  });
});

describe('huge files stay linear (a quadratic step turns these into minutes: the 15 s timeout is a hang guard, not a speed figure)', () => {
  test('a paragraph of 100,000 links: every link at its own column', () => {
    const doc = parse(variant(['## Comms\n', `## Comms\n${'[a](https://x.example) '.repeat(100_000)}\n`]));
    const links = doc.links.filter((l) => l.target === 'https://x.example');
    expect(links).toHaveLength(100_000);
    expect(links[99_999]).toEqual(expect.objectContaining({ line: 26, column: 99_999 * 23 + 1 }));
  }, 15_000);

  test('100,000 sections, each with its own checklist item', () => {
    const doc = parse(`${BASE}\n${Array.from({ length: 100_000 }, (_, i) => `## Section ${i}\n- [ ] step ${i}`).join('\n')}\n`);
    const extra = doc.sections.filter((s) => s.heading.text.startsWith('Section '));
    expect(extra).toHaveLength(100_000);
    expect(extra[54_321].checklist.map((c) => c.text)).toEqual(['step 54321']);
  }, 15_000);
});

describe('readRunbookText: strictly UTF-8', () => {
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const { RunbookTextError, readRunbookText } = require('../../lib/runbook/parser') as typeof import('../../lib/runbook/parser');
  const write = (bytes: number[] | string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-text-')), 'r.md');
    fs.writeFileSync(file, typeof bytes === 'string' ? bytes : Buffer.from(bytes));
    return file;
  };

  test('a U+FFFD written as such is text', () => {
    expect(readRunbookText(write('a \uFFFD b\n'))).toBe('a \uFFFD b\n');
  });

  test.each([
    ['a Latin-1 byte', [0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a], 2, 4, 'the file is not UTF-8 (byte 0xe9)'],
    ['an overlong sequence', [0x61, 0x0a, 0x62, 0xc0, 0xaf], 2, 2, 'the file is not UTF-8 (byte 0xc0)'],
    ['a sequence cut at the end', [0x61, 0xe2, 0x82], 1, 2, 'the file is not UTF-8 (byte 0xe2)'],
    ['a NUL byte', [0x61, 0x0a, 0x00], 2, 1, 'the file is not text (it holds a NUL byte)'],
  ])('%s is a RunbookTextError at the bad byte', (_what, bytes, line, column, problem) => {
    let error: unknown;
    try {
      readRunbookText(write(bytes));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunbookTextError);
    expect(error).toMatchObject({ line, column, problem });
  });
});

describe('the first move and the never-do warning, as the SRE guide writes them', () => {
  const MOVE = '- [ ] Scale out the consumer: `aws ecs update-service --cluster orders --service consumer --desired-count 10`';
  const mitigate = (items: string) => parse(variant([MOVE, items]));

  test('a label is not part of the first move', () => {
    expect(mitigate('- [ ] First move: scale out the consumer').firstMove).toBe('scale out the consumer');
    expect(mitigate('- [ ] First move (stop the impact fastest): roll back the last deploy').firstMove).toBe('roll back the last deploy');
    expect(mitigate('- [ ] **Step 1:** drain the queue').firstMove).toBe('drain the queue');
  });

  test('the item labelled as the first move is the first move, wherever it stands', () => {
    const doc = mitigate('- [ ] Confirm the queue depth\n- [ ] Whether the consumer has crashed\n- [ ] First move: scale out the consumer\n- [ ] If it has crashed: roll back');
    expect([doc.firstMove, doc.firstMoveLine]).toEqual(['scale out the consumer', 22]);
  });

  test('a warning is never the first move: it is the never-do warning, without its sign and lead', () => {
    const doc = mitigate(`- [ ] ⚠️ What you must never do: "delete all" events to resolve the stagnation\n${MOVE}`);
    expect(doc.firstMove).toMatch(/^Scale out the consumer/);
    expect([doc.never, doc.neverLine]).toEqual(['"delete all" events to resolve the stagnation', 20]);
  });

  test('a warning written as a plain bullet, over two lines, is the never-do warning', () => {
    const doc = mitigate(`${MOVE}\n- ⚠️ What you must never do: "delete all" events to resolve the stagnation\n       → Since there's an idempotency key, "reprocess everything" is safe.`);
    expect(doc.never).toBe('"delete all" events to resolve the stagnation → Since there\'s an idempotency key, "reprocess everything" is safe.');
  });

  test('a warning is read as rendered: emphasis and links do not hide its lead', () => {
    expect(mitigate(`- [ ] **Caution:** replaying twice [double-charges](https://wiki.example/x)\n${MOVE}`).never).toBe('replaying twice double-charges (https://wiki.example/x)');
  });

  test('the first of several warnings; none outside Mitigate', () => {
    expect(mitigate(`${MOVE}\n- [ ] Do not reboot the writer\n- Never purge the queue`).never).toBe('reboot the writer');
    expect(parse(variant(['## Comms\n', '## Comms\n- Never post customer names.\n'])).never).toBeUndefined();
  });

  test('template items are skipped for the first move (Runbook-Placeholder reports them)', () => {
    expect(mitigate(`- [ ] First move (stop the impact fastest): e.g.) OFF with a feature flag\n${MOVE}`).firstMove).toMatch(/^Scale out the consumer/);
  });

  test('the classified items of Mitigate, checklist items and bullets, in line order', () => {
    expect(mitigate(`- Check first:\n${MOVE}\n- ⚠️ Never purge`).mitigateItems.map((i) => [i.line, i.task, i.kind])).toEqual([
      [20, false, 'step'], [21, true, 'step'], [22, false, 'warning'],
    ]);
  });
});
