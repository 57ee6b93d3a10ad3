// The renderer's fast paths (one CRLF line found without splitting, text decoded once without
// views) against the plain algorithm they replace: for any bytes and payload marks, a transcript
// line must read exactly as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesToVisible, renderEvent } from '../../../src/transcript/render.js';
import type { WireEvent } from '../../../src/transcript/events.js';

/** The plain algorithm: a view per segment, a decode, a split of every text on LF. */
function plainLines(event: WireEvent): string[] {
  const text = (from: number, to: number) => bytesToVisible(event.bytes.subarray(from, to));
  let joined = '';
  if (!event.payloads || event.payloads.length === 0) joined = text(0, event.bytes.length);
  else {
    let at = 0;
    for (const p of event.payloads) {
      joined += text(at, p.offset) + `[literal: ${p.size.toLocaleString('en-US')} bytes, payload ${p.id}]`;
      at = p.offset;
    }
    joined += text(at, event.bytes.length);
  }
  const lines = joined.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (i === lines.length - 1) {
      if (line !== '') out.push(line + ' [no line end]');
      break;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    else line += ' [bare LF]';
    out.push(line.replace(/\r/g, '\\r'));
  }
  return out.map((l) => `S: ${l}`);
}

const byte = fc.oneof(
  fc.constantFrom(0x0d, 0x0a, 0x20, 0x41, 0x7f, 0x00, 0x09, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0xf0),
  fc.integer({ min: 0, max: 255 }),
);

test('a wire event renders as the plain algorithm renders it, for any bytes and payloads', () => {
  fc.assert(
    fc.property(
      fc.array(byte, { maxLength: 40 }),
      fc.boolean(),
      fc.array(fc.nat({ max: 45 }), { maxLength: 3 }),
      (raw, crlf, offsets) => {
        const bytes = Buffer.from([...raw, ...(crlf ? [0x0d, 0x0a] : [])]);
        const sorted = [...offsets].sort((a, b) => a - b);
        const payloads = sorted.map((offset, id) => ({ id, size: 1000 * id + offset, offset }));
        const event: WireEvent = {
          seq: 1,
          time: 0,
          dir: 'S',
          bytes,
          ...(payloads.length ? { payloads } : {}),
        };
        assert.deepEqual(renderEvent(event, { timestamps: false }), plainLines(event));
      },
    ),
    { numRuns: 5000 },
  );
});

test('bytes given as a plain Uint8Array or as a view into a larger buffer render the same', () => {
  const whole = Buffer.from('xx* OK Grüße\r\nyy', 'utf8');
  const view = whole.subarray(2, whole.length - 2);
  const plain = new Uint8Array(view);
  const lines = (bytes: Uint8Array) =>
    renderEvent({ seq: 1, time: 0, dir: 'S', bytes }, { timestamps: false });
  assert.deepEqual(lines(view), ['S: * OK Grüße']);
  assert.deepEqual(lines(plain), ['S: * OK Grüße']);
});
