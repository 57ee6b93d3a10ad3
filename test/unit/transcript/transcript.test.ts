import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { occurrences, redactRanges, redactKnownSecrets } from '../../../src/transcript/redact.js';
import { renderEvents, bytesToVisible, formatTime, groupDigits } from '../../../src/transcript/render.js';
import { Transcript } from '../../../src/transcript/transcript.js';
import { parseTranscriptJsonl } from '../../../src/transcript/jsonl.js';
import { REDACTION_MARK } from '../../../src/transcript/events.js';

const enc = (s: string) => Buffer.from(s, 'latin1');

test('secret ranges are replaced by the redaction mark and nothing else changes', () => {
  const line = enc('a1 LOGIN alice "s3cret pass"\r\n');
  const start = line.indexOf('"s3cret');
  const { bytes, redacted } = redactRanges(line, [[start + 1, start + 12]]);
  assert.equal(redacted, true);
  assert.equal(Buffer.from(bytes).toString('latin1'), `a1 LOGIN alice "${REDACTION_MARK}"\r\n`);
});

test('redaction never leaves any byte of the secret, whatever the ranges', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(), (data, a, b) => {
      const s = a % data.length;
      const e = s + 1 + (b % (data.length - s));
      const { bytes } = redactRanges(data, [[s, e]]);
      const out = Buffer.from(bytes);
      assert.deepEqual(out.subarray(0, s), Buffer.from(data.subarray(0, s)));
      assert.deepEqual(out.subarray(out.length - (data.length - e)), Buffer.from(data.subarray(e)));
    }),
  );
});

/** What the session did before `occurrences`: Buffer#indexOf per secret, no overlaps. */
function indexOfRanges(bytes: Uint8Array, needles: readonly Uint8Array[]): Array<[number, number]> {
  const haystack = Buffer.from(bytes);
  const ranges: Array<[number, number]> = [];
  for (const needle of needles) {
    if (needle.length === 0) continue;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length))
      ranges.push([at, at + needle.length]);
  }
  return ranges;
}

test('occurrences finds every secret Buffer#indexOf finds, in short lines and long ones', () => {
  // Few distinct bytes, so secrets repeat, overlap and nearly match; lengths cross the JS/C++ cut.
  const byte = fc.constantFrom(0x61, 0x62, 0x0d, 0x0a, 0xc3, 0xa9);
  const bytes = (max: number) => fc.array(byte, { maxLength: max }).map((a) => Uint8Array.from(a));
  fc.assert(
    fc.property(
      fc.oneof(bytes(40), bytes(600)),
      fc.array(fc.oneof(bytes(4), bytes(300)), { maxLength: 3 }),
      (line, needles) => {
        assert.deepEqual(occurrences(line, needles) ?? [], indexOfRanges(line, needles));
      },
    ),
    { numRuns: 3000 },
  );
});

test('occurrences of a password in a typed line, and none in a line without it', () => {
  const password = enc('pässword');
  const line = Buffer.from('PASS pässword\r\n', 'utf8');
  assert.deepEqual(occurrences(Buffer.from('NOOP\r\n'), [Buffer.from('pässword', 'utf8')]), undefined);
  assert.deepEqual(occurrences(line, [Buffer.from('pässword', 'utf8')]), [[5, 14]]);
  // Latin-1 bytes of the same text are other bytes: not a match.
  assert.equal(occurrences(line, [password]), undefined);
});

test('groupDigits writes every integer as toLocaleString("en-US") does', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => {
      assert.equal(groupDigits(n), n.toLocaleString('en-US'));
    }),
    { numRuns: 3000 },
  );
  for (const n of [0, -0, 999, 1000, -1000, 1234567, Number.MAX_SAFE_INTEGER, 2 ** 60, NaN, Infinity])
    assert.equal(groupDigits(n), n.toLocaleString('en-US'), String(n));
});

test('known secrets and their base64 forms are removed from free text', () => {
  const text = 'AUTH PLAIN ' + Buffer.from('hunter22').toString('base64') + ' and hunter22';
  const out = redactKnownSecrets(text, ['hunter22']);
  assert.ok(!out.includes('hunter22'));
  assert.ok(!out.includes(Buffer.from('hunter22').toString('base64').replace(/=+$/, '')));
});

test('rendering uses the C:/S: notation, shows bare LF and control bytes visibly', () => {
  const t = new Transcript({
    protocol: 'imap',
    target: 'imap://127.0.0.1:143',
    now: () => Date.UTC(2026, 0, 1, 12, 0, 1, 123),
  });
  t.wire({ dir: 'S', bytes: enc('* OK ready\r\n* 1 EXISTS\n') });
  t.wire({ dir: 'C', bytes: enc('a1 NOOP\r\n') });
  t.wire({ dir: 'S', bytes: enc('a1 OK \x00done\r\n') });
  t.note('TLS established: TLSv1.3', 'tls');
  assert.equal(
    t.render(),
    [
      '12:00:01.123 S: * OK ready',
      '12:00:01.123 S: * 1 EXISTS [bare LF]',
      '12:00:01.123 C: a1 NOOP',
      '12:00:01.123 S: a1 OK \\x00done',
      '12:00:01.123 -- TLS established: TLSv1.3',
      '',
    ].join('\n'),
  );
  assert.equal(renderEvents(t.events, { timestamps: false }).split('\n')[0], 'S: * OK ready');
  t.dispose();
});

test('invalid UTF-8 is shown as hex escapes, valid UTF-8 as text', () => {
  assert.equal(bytesToVisible(Buffer.from([0x61, 0xff, 0x62])), 'a\\xffb');
  assert.equal(bytesToVisible(Buffer.from('Grüße', 'utf8')), 'Grüße');
});

test('large payloads are summarized in the text but kept byte for byte', () => {
  const t = new Transcript({ protocol: 'imap', target: 'x' });
  const body = Buffer.alloc(300_000, 0x61);
  t.payloads.begin(7);
  t.payloads.write(7, body.subarray(0, 100_000));
  t.payloads.write(7, body.subarray(100_000));
  t.payloads.finish(7);
  const head = enc('* 1 FETCH (BODY[] {300000}\r\n');
  const tail = enc(')\r\n');
  t.wire({
    dir: 'S',
    bytes: Buffer.concat([head, tail]),
    payloads: [{ id: 7, size: 300_000, offset: head.length }],
  });
  assert.match(
    t.render({ timestamps: false }),
    /S: \* 1 FETCH \(BODY\[\] \{300000\}\nS: \[literal: 300,000 bytes, payload 7\]\)/,
  );
  assert.deepEqual(t.bytesOf('S'), Buffer.concat([head, body, tail]));
  t.dispose();
});

test('the transcript file is written as it grows and loads back to the same events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-transcript-'));
  try {
    const file = join(dir, 's.jsonl');
    const t = new Transcript({ protocol: 'pop3', target: 'pop3://127.0.0.1:110', file, flushIntervalMs: 10 });
    t.wire({ dir: 'S', bytes: enc('+OK hello\r\n') });
    t.wire({ dir: 'C', bytes: enc(`PASS ${REDACTION_MARK}\r\n`), redacted: true, commandId: 2 });
    t.note('closing', 'close');
    await new Promise((r) => setTimeout(r, 50));
    const mid = parseTranscriptJsonl(readFileSync(file, 'utf8'));
    assert.equal(mid.events.length, 3, 'events reach the file without an explicit flush');
    t.close();
    const loaded = parseTranscriptJsonl(readFileSync(file, 'utf8'));
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.header?.protocol, 'pop3');
    assert.equal(renderEvents(loaded.events), t.render());
    t.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged transcript file loads what it can and names the bad lines', () => {
  const r = parseTranscriptJsonl(
    '{"mailwire":1,"protocol":"smtp"}\nnot json\n{"seq":1,"time":1,"dir":"S","b64":"MjIwDQo="}\n',
  );
  assert.equal(r.events.length, 1);
  assert.deepEqual(r.errors, ['line 2: not JSON']);
});

test('timestamps read HH:MM:SS.mmm in UTC for any time, in any order', () => {
  const reference = (ms: number): string => new Date(Math.floor(ms)).toISOString().slice(11, 23);
  // Times out of order and within one second exercise the per-second cache both ways.
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true }), { maxLength: 20 }),
      (times) => {
        for (const t of [...times, ...times.map((x) => x + 1), ...times.map((x) => x + 999)]) {
          assert.equal(formatTime(t), reference(t));
        }
      },
    ),
  );
  assert.equal(formatTime(1_700_000_000_007), '22:13:20.007');
  assert.equal(formatTime(1_700_000_000_070), '22:13:20.070');
});

test('readers see what live listeners saw: events, length and at() agree, and events is a snapshot', () => {
  let clock = 1_000;
  const transcript = new Transcript({ protocol: 'imap', target: 'imap://127.0.0.1:143', now: () => clock++ });
  const seen: unknown[] = [];
  const unsubscribe = transcript.subscribe((e) => seen.push(e));
  const line = Buffer.from('A1 NOOP\r\n');
  transcript.wire({ dir: 'C', bytes: line, commandId: 1 });
  line.fill(0); // the caller reuses its buffer: the transcript kept a copy
  transcript.note('hello', 'info');
  transcript.record({
    seq: 0,
    time: 0,
    dir: 'S',
    bytes: Buffer.from('A1 OK\r\n'),
    commandId: 1,
    latencyMs: 2,
  });
  const before = transcript.events;
  unsubscribe();
  transcript.note('after', 'info');
  assert.equal(before.length, 3, 'a snapshot does not grow');
  assert.equal(transcript.length, 4);
  assert.equal(seen.length, 3, 'no event after unsubscribing');
  assert.deepEqual(
    before.map((e) => (e.dir === 'L' ? e.text : Buffer.from(e.bytes).toString())),
    ['A1 NOOP\r\n', 'hello', 'A1 OK\r\n'],
  );
  assert.deepEqual(transcript.at(2), {
    seq: 3,
    time: 1_003,
    dir: 'S',
    bytes: Buffer.from('A1 OK\r\n'),
    commandId: 1,
    latencyMs: 2,
  });
  assert.equal(transcript.at(4), undefined);
  assert.equal(transcript.bytesOf('C').toString(), 'A1 NOOP\r\n');
});
