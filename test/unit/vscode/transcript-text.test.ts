import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TranscriptEvent } from '../../../src/transcript/events.js';
import { renderEvents } from '../../../src/transcript/render.js';
import { ChunkedText, TranscriptText, type Scheduler } from '../../../src/vscode/transcript-text.js';
import { sessionIdFromPath, transcriptFileStem, transcriptPath } from '../../../src/vscode/transcript-uri.js';
import { savePaths, transcriptJsonl } from '../../../src/vscode/transcript-files.js';
import { parseTranscriptJsonl } from '../../../src/transcript/jsonl.js';

/** A scheduler the test advances by hand. */
class ManualScheduler implements Scheduler {
  pending: Array<{ fn: () => void; ms: number } | undefined> = [];
  set(fn: () => void, ms: number): unknown {
    this.pending.push({ fn, ms });
    return this.pending.length - 1;
  }
  clear(handle: unknown): void {
    this.pending[handle as number] = undefined;
  }
  get armed(): number {
    return this.pending.filter(Boolean).length;
  }
  runAll(): void {
    const due = this.pending;
    this.pending = [];
    for (const t of due) t?.fn();
  }
}

let seq = 0;
const wire = (dir: 'C' | 'S', text: string): TranscriptEvent => ({
  seq: ++seq,
  time: 0,
  dir,
  bytes: Buffer.from(text, 'utf8'),
});
const note = (text: string, level: 'info' | 'warn' | 'error' = 'info'): TranscriptEvent => ({
  seq: ++seq,
  time: 0,
  dir: 'L',
  level,
  kind: 'info',
  text,
});

describe('ChunkedText', () => {
  test('text equals the lines joined, across chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 5 }), { maxLength: 700 }), { maxLength: 12 }),
        (batches) => {
          const t = new ChunkedText();
          const all: string[] = [];
          for (const b of batches) {
            t.appendLines(b);
            all.push(...b);
            assert.equal(t.text(), all.length ? all.join('\n') + '\n' : '');
          }
          assert.equal(t.lineCount, all.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('ChunkedText window', () => {
  test('beyond maxLines the oldest whole chunks go, a first line says how many, the newest stay exact', () => {
    const t = new ChunkedText(5000);
    const all: string[] = [];
    for (let i = 0; i < 12_345; i++) all.push(`line ${i}`);
    for (let i = 0; i < all.length; i += 100) t.appendLines(all.slice(i, i + 100));
    const lines = t.text().split('\n');
    lines.pop(); // after the last \n
    const [head, ...shown] = lines;
    assert.equal(t.lineCount, 12_345);
    assert.ok(t.droppedLines > 0 && t.droppedLines % 2000 === 0, `whole chunks dropped: ${t.droppedLines}`);
    assert.equal(
      head,
      `-- ${t.droppedLines.toLocaleString('en-US')} earlier lines are not shown: the live view keeps the newest 5,000 (mailwire.transcript.liveLines); Save Transcript writes every line`,
    );
    assert.ok(shown.length <= 5000 + 2000, `window size ${shown.length}`);
    assert.ok(shown.length >= 5000 - 2000);
    assert.deepEqual(shown, all.slice(t.droppedLines), 'the newest lines, in order, none missing');
  });

  test('below maxLines nothing is left out and there is no note', () => {
    const t = new ChunkedText(5000);
    t.appendLines(['a', 'b']);
    assert.equal(t.text(), 'a\nb\n');
    assert.equal(t.droppedLines, 0);
  });
});

describe('TranscriptText', () => {
  test('matches the renderer for the same events, and appends live', () => {
    const initial = [note('connecting to 127.0.0.1:1143'), wire('S', '* OK ready\r\n')];
    const sched = new ManualScheduler();
    const text = new TranscriptText(initial, {
      scheduler: sched,
      onChange: () => undefined,
      render: { timestamps: false },
    });
    assert.equal(text.text(), renderEvents(initial, { timestamps: false }));
    const more = [
      wire('C', 'a1 LOGIN alice <redacted>\r\n'),
      wire('S', 'a1 OK done\r\n'),
      note('bad', 'warn'),
    ];
    for (const e of more) text.append(e);
    assert.equal(text.text(), renderEvents([...initial, ...more], { timestamps: false }));
    assert.match(text.text(), /-- warning: bad\n$/);
  });

  test('change notifications are batched: one per interval however many events arrive', () => {
    const sched = new ManualScheduler();
    let fired = 0;
    const text = new TranscriptText([], { scheduler: sched, batchMs: 100, onChange: () => fired++ });
    for (let i = 0; i < 1000; i++) text.append(wire('S', `* ${i} EXISTS\r\n`));
    assert.equal(sched.armed, 1);
    assert.equal(sched.pending[0]?.ms, 100);
    assert.equal(fired, 0);
    sched.runAll();
    assert.equal(fired, 1);
    text.append(wire('S', '* 1 RECENT\r\n'));
    sched.runAll();
    assert.equal(fired, 2);
    sched.runAll();
    assert.equal(fired, 2, 'no event without new text');
    assert.equal(text.lineCount, 1001);
  });

  test('rerender switches timestamps; dispose stops notifications; a throwing listener is contained', () => {
    const sched = new ManualScheduler();
    const errors: unknown[] = [];
    const events = [wire('C', 'QUIT\r\n')];
    const text = new TranscriptText(events, {
      scheduler: sched,
      onChange: () => {
        throw new Error('editor gone');
      },
      onError: (e) => errors.push(e),
      render: { timestamps: true },
    });
    assert.match(text.text(), /^00:00:00\.000 C: QUIT\n$/);
    text.rerender(events, { timestamps: false });
    assert.equal(text.text(), 'C: QUIT\n');
    sched.runAll();
    assert.equal(errors.length, 1);
    text.dispose();
    text.append(wire('S', '+OK bye\r\n'));
    assert.equal(sched.armed, 0);
    assert.equal(text.text(), 'C: QUIT\n');
  });
});

describe('transcript URIs and files', () => {
  test('paths carry the session id and a safe title', () => {
    const p = transcriptPath('s12', 'IMAP alice@[::1]:1143');
    assert.equal(p, '/s12/IMAP alice@[-1]-1143.transcript');
    assert.equal(sessionIdFromPath(p), 's12');
    assert.equal(sessionIdFromPath('/etc/passwd'), undefined);
    assert.equal(sessionIdFromPath('/%E0%A4%A/x.transcript'), undefined);
    assert.equal(
      transcriptFileStem('imap', '::1', 1143, Date.UTC(2026, 10, 22, 4, 30, 12)),
      'imap-_1-1143-20261122-043012',
    );
  });

  test('save paths and the JSON Lines text round-trip through the reader', () => {
    assert.deepEqual(savePaths('/tmp/a.txt'), { text: '/tmp/a.txt', jsonl: '/tmp/a.jsonl' });
    assert.deepEqual(savePaths('/tmp/a'), { text: '/tmp/a.txt', jsonl: '/tmp/a.jsonl' });
    const events = [note('hello'), wire('C', 'a1 LOGIN alice <redacted>\r\n')];
    const text = transcriptJsonl({
      events,
      started: 5,
      options: { protocol: 'imap', target: 'imap://h:143' },
    });
    const back = parseTranscriptJsonl(text);
    assert.deepEqual(back.errors, []);
    assert.equal(back.header?.target, 'imap://h:143');
    assert.equal(back.events.length, 2);
    assert.equal(renderEvents(back.events), renderEvents(events));
  });
});
