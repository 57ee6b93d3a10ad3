// The column store behind a transcript: whatever is recorded reads back as the same event, and
// bytes recorded are copies that later changes to the caller's buffer do not reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventStore } from '../../../src/transcript/event-store.js';
import type { TranscriptEvent } from '../../../src/transcript/events.js';

const wire = fc.record(
  {
    dir: fc.constantFrom('C' as const, 'S' as const),
    // Sizes around the slab and keep-as-view thresholds as well as small lines.
    // Buffers, as the codecs record (events read back as Buffer views).
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.integer({ min: 16 * 1024 - 8, max: 70 * 1024 }).map((n) => Buffer.alloc(n, n % 251)),
    ),
    redacted: fc.constant(true),
    clientPayload: fc.constant(true),
    commandId: fc.oneof(
      fc.nat(),
      fc.integer({ min: -3, max: 3 }),
      fc.constant(2 ** 40),
      fc.constant(2 ** 32 - 2),
    ),
    latencyMs: fc.oneof(fc.double({ noNaN: true, min: 0, max: 1e6 }), fc.nat(), fc.constant(2 ** 32)),
    malformed: fc.string({ minLength: 1, maxLength: 20 }),
    payloads: fc.array(fc.record({ id: fc.nat(), size: fc.nat(), offset: fc.nat() }), {
      minLength: 1,
      maxLength: 3,
    }),
  },
  { requiredKeys: ['dir', 'bytes'] },
);
const note = fc.record({
  dir: fc.constant('L' as const),
  level: fc.constantFrom('info' as const, 'warn' as const, 'error' as const),
  kind: fc.constantFrom('connect' as const, 'tls' as const, 'limit' as const, 'info' as const),
  text: fc.string({ maxLength: 30 }),
});

test('every event reads back equal to what was recorded, in order, across growth and slabs', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(wire, note), { maxLength: 400 }),
      fc.double({ noNaN: true }),
      (parts, t0) => {
        const store = new EventStore();
        const recorded: TranscriptEvent[] = parts.map((p, i) => ({ seq: i + 1, time: t0 + i, ...p }));
        for (const e of recorded) store.add(e);
        assert.equal(store.length, recorded.length);
        recorded.forEach((e, i) => assert.deepEqual(store.at(i), e));
        assert.deepEqual(store.slice(), recorded);
        assert.deepEqual(
          store.slice(Math.floor(recorded.length / 2)),
          recorded.slice(Math.floor(recorded.length / 2)),
        );
      },
    ),
    { numRuns: 60 },
  );
});

test('times, command ids and latencies read back exactly across blocks, whatever the clock does', () => {
  // Integer milliseconds fit the columns; a clock that goes back, a fraction or a huge id does
  // not, and must still read back exactly.
  const store = new EventStore();
  const recorded: TranscriptEvent[] = [];
  for (let i = 0; i < 10_000; i++) {
    const time =
      1.7e12 + i * 3 - (i % 997 === 0 ? 5000 : 0) + (i % 1499 === 0 ? 0.5 : 0) + (i > 9000 ? 2 ** 33 : 0);
    const e: TranscriptEvent =
      i % 11 === 0
        ? { seq: i + 1, time, dir: 'L', level: 'info', kind: 'info', text: `note ${i}` }
        : {
            seq: i + 1,
            time,
            dir: i % 2 === 0 ? 'C' : 'S',
            bytes: Buffer.from(`line ${i}\r\n`),
            ...(i % 5 === 0 ? {} : { commandId: i % 13 === 0 ? 2 ** 40 + i : i }),
            ...(i % 3 === 0 ? {} : { latencyMs: i % 7 === 0 ? i + 0.25 : i }),
          };
    recorded.push(e);
    store.add(e);
  }
  for (let i = 0; i < recorded.length; i++) assert.deepEqual(store.at(i), recorded[i], `event ${i}`);
});

test('a line is copied when recorded: reusing the caller buffer does not change the transcript', () => {
  const store = new EventStore();
  const buffer = Buffer.from('A1 OK done\r\n');
  store.add({ seq: 1, time: 0, dir: 'S', bytes: buffer });
  buffer.fill(0x58);
  assert.equal(Buffer.from((store.at(0) as { bytes: Uint8Array }).bytes).toString(), 'A1 OK done\r\n');
});

test('indexes outside the store read as undefined', () => {
  const store = new EventStore();
  store.add({ seq: 1, time: 0, dir: 'L', level: 'info', kind: 'info', text: 'x' });
  for (const i of [-1, 1, 0.5, Number.NaN]) assert.equal(store.at(i), undefined);
});
