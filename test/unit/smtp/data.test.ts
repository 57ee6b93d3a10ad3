import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeDataBody, dotStuff, dotUnstuff, encodeDataBody } from '../../../src/protocol/smtp/data.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('DATA body encoding', () => {
  test('line-start dots are doubled, also after bare LF and at the body start', () => {
    assert.equal(dotStuff(b('.a\r\nb\r\n.\r\nc\n.d')).toString(), '..a\r\nb\r\n..\r\nc\n..d');
  });

  test('the terminator is added, with a CRLF when the body lacks one', () => {
    assert.equal(encodeDataBody(b('hi\r\n')).toString(), 'hi\r\n.\r\n');
    assert.equal(encodeDataBody(b('hi')).toString(), 'hi\r\n.\r\n');
    assert.equal(encodeDataBody(b('hi\n')).toString(), 'hi\n\r\n.\r\n');
    assert.equal(encodeDataBody(b('')).toString(), '.\r\n');
  });

  test('a body holding the terminator sequence cannot end the data early', () => {
    const wire = encodeDataBody(b('a\r\n.\r\nMAIL FROM:<x@y>\r\n'));
    const decoded = decodeDataBody(wire);
    assert.equal(decoded?.body.toString(), 'a\r\n.\r\nMAIL FROM:<x@y>\r\n');
    assert.equal(decoded?.consumed, wire.length);
  });

  test('property: unstuff(stuff(body)) == body; the wire form decodes back', () => {
    const line = fc.oneof(fc.constantFrom('.', '..', '.x', '', 'From x', '\r'), fc.string({ maxLength: 20 }));
    const body = fc
      .tuple(fc.array(fc.tuple(line, fc.constantFrom('\r\n', '\n')), { maxLength: 12 }), line)
      .map(([ls, tail]) => b(ls.map(([l, e]) => l + e).join('') + tail));
    fc.assert(
      fc.property(body, (body) => {
        assert.deepEqual(dotUnstuff(dotStuff(body)), body);
        const wire = encodeDataBody(body);
        const decoded = decodeDataBody(wire);
        assert.ok(decoded !== null);
        const endsCrlf = body.length >= 2 && body.subarray(-2).toString() === '\r\n';
        assert.deepEqual(
          decoded.body,
          body.length === 0 || endsCrlf ? body : Buffer.concat([body, b('\r\n')]),
        );
        assert.equal(decoded.consumed, wire.length);
      }),
    );
  });
});
