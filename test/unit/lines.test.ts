import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type SplitItem } from '../../src/protocol/lines.js';

function all(s: LineSplitter): SplitItem[] {
  const out: SplitItem[] = [];
  for (let i = s.next(); i !== null; i = s.next()) out.push(i);
  return out;
}

describe('LineSplitter', () => {
  test('splits CRLF and bare LF lines, keeping exact raw bytes', () => {
    const s = new LineSplitter();
    s.push(Buffer.from('250 ok\r\n250 bare\n25'));
    const items = all(s);
    assert.deepEqual(
      items.map((i) => [i.kind, i.raw.toString()]),
      [
        ['line', '250 ok\r\n'],
        ['line', '250 bare\n'],
      ],
    );
    assert.equal(items[0]?.kind === 'line' && items[0].content.toString(), '250 ok');
    assert.equal(items[1]?.kind === 'line' && items[1].content.toString(), '250 bare');
    assert.equal(s.buffered, 2);
    s.push(Buffer.from('0 x\r'));
    assert.equal(s.next(), null);
    s.push(Buffer.from('\n'));
    const last = s.next();
    assert.equal(last?.kind === 'line' && last.content.toString(), '250 x');
  });

  test('a line over the limit comes out in overlong pieces, then lines resume', () => {
    const s = new LineSplitter(10);
    s.push(Buffer.from('0123456789abc'));
    const first = s.next();
    assert.equal(first?.kind, 'overlong');
    assert.equal(first?.kind === 'overlong' && first.final, false);
    s.push(Buffer.from('def\r\nok\r\n'));
    const items = all(s);
    assert.deepEqual(
      items.map((i) => [i.kind, i.raw.toString()]),
      [
        ['overlong', 'def\r\n'],
        ['line', 'ok\r\n'],
      ],
    );
    assert.equal(s.buffered, 0);
  });

  test('a complete line just over the limit is overlong; exactly at the limit is fine', () => {
    const s = new LineSplitter(3);
    s.push(Buffer.from('abc\r\nabcd\r\n'));
    assert.deepEqual(
      all(s).map((i) => i.kind),
      ['line', 'overlong'],
    );
  });

  test('drain returns every unconsumed byte', () => {
    const s = new LineSplitter();
    s.push(Buffer.from('a\r\nb'));
    s.push(Buffer.from('c'));
    assert.equal(s.next()?.raw.toString(), 'a\r\n');
    assert.equal(s.drain().toString(), 'bc');
    assert.equal(s.buffered, 0);
  });

  test('property: any split of any bytes comes out whole and in order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b.map((x) => (x % 4 === 0 ? 0x0a : x)))),
        fc.array(fc.nat(300), { maxLength: 10 }),
        fc.integer({ min: 1, max: 40 }),
        (bytes, cuts, max) => {
          const s = new LineSplitter(max);
          const out: Buffer[] = [];
          const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            s.push(bytes.subarray(prev, p));
            prev = p;
            for (const i of all(s)) {
              if (i.kind === 'line') assert.ok(i.content.length <= max);
              out.push(i.raw);
            }
          }
          out.push(s.drain());
          assert.deepEqual(Buffer.concat(out), bytes);
        },
      ),
    );
  });

  test('a long line in many small chunks is linear (1 MB in 1-byte-ish chunks)', () => {
    const s = new LineSplitter();
    const chunk = Buffer.alloc(16, 0x61);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 60_000; i++) {
      s.push(chunk);
      assert.equal(s.next(), null);
    }
    s.push(Buffer.from('\r\n'));
    const line = s.next();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(line?.kind === 'line' && line.content.length, 960_000);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});
