import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { multilineBody, topOf } from '../../../../src/sandbox/pop3/multiline.js';

/** What a client does with a multi-line body: strip the terminator and undo the dot-stuffing. */
function unstuff(wire: Buffer): Buffer {
  const text = wire.toString('latin1');
  assert.ok(text.endsWith('\r\n.\r\n') || text === '.\r\n', 'terminated by CRLF.CRLF');
  const body = text.slice(0, text.length - 3);
  assert.ok(!/(^|\r\n)\.\r\n/.test(body), 'no early terminator inside the body');
  return Buffer.from(body.replace(/(^|\n)\./g, '$1'), 'latin1');
}

test('dot-stuffing round-trips any CRLF-terminated content, dots and 8-bit bytes included', () => {
  const line = fc.stringMatching(/^[.a\x80\xff ]{0,6}$/);
  fc.assert(
    fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
      const content = Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1');
      assert.deepEqual(unstuff(multilineBody(content)), content);
    }),
  );
});

test('content without a final CRLF gets one before the terminator', () => {
  assert.equal(multilineBody(Buffer.from('a\r\n.b')).toString(), 'a\r\n..b\r\n.\r\n');
  assert.equal(multilineBody(Buffer.alloc(0)).toString(), '.\r\n');
});

test('TOP keeps the headers, the blank line and n body lines', () => {
  const raw = Buffer.from('A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n');
  assert.equal(topOf(raw, 0).toString(), 'A: 1\r\nB: 2\r\n\r\n');
  assert.equal(topOf(raw, 2).toString(), 'A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n');
  assert.equal(topOf(raw, 99).toString(), raw.toString());
  assert.equal(topOf(Buffer.from('A: only headers\r\n'), 3).toString(), 'A: only headers\r\n');
});
