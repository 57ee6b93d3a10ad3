// The IMAP reader's hand-written fast paths against the expressions and calls they replace:
// short atoms decoded in JS, upper-casing that skips upper-case ASCII, and the verb-shape check
// of typed lines. Any difference would change what a user sees (a tag, a verb, a status).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../../../src/protocol/imap/parser.js';
import { upperCase, utf8Line, utf8Text } from '../../../src/protocol/text.js';
import { analyseRawLine, isVerb } from '../../../src/protocol/imap/raw-line.js';

const VERB = /^[A-Z][A-Z0-9.-]*( [A-Z][A-Z0-9.-]*)?$/;

test('isVerb accepts exactly what the verb expression accepts', async () => {
  const fc = (await import('fast-check')).default;
  const piece = fc.constantFrom('A', 'Z', 'a', '0', '9', '.', '-', ' ', '  ', 'UID', 'FETCH', '_', 'ı', '');
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 8 }), (parts) => {
      const verb = parts.join('');
      assert.equal(isVerb(verb), VERB.test(verb), JSON.stringify(verb));
    }),
    { numRuns: 3000 },
  );
});

test('upperCase gives what toUpperCase gives, for any string', async () => {
  const fc = (await import('fast-check')).default;
  const piece = fc.constantFrom('NOOP', 'noop', 'OK', 'Ok', 'ß', 'ı', 'µ', '[', '`', '{', '@', 'Z', 'z', '');
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 6 }), (parts) => {
      const s = parts.join('');
      assert.equal(upperCase(s), s.toUpperCase());
    }),
    { numRuns: 3000 },
  );
});

test('an atom of any length and bytes decodes as Buffer decodes it', async () => {
  const fc = (await import('fast-check')).default;
  // Atom bytes (no space, parentheses, braces, quote, bracket or control bytes), 8-bit included.
  const atomByte = fc
    .integer({ min: 0x21, max: 0xff })
    .filter((c) => !'(){"[\x7f'.includes(String.fromCharCode(c)));
  fc.assert(
    fc.property(fc.array(atomByte, { minLength: 1, maxLength: 12 }), (bytes) => {
      const atom = Buffer.from(bytes);
      const line = Buffer.concat([atom, Buffer.from(' OK done\r\n')]);
      const expected = bytes.some((c) => c >= 0x80) ? atom.toString('utf8') : atom.toString('latin1');
      assert.equal(new Reader(line).atom(), expected);
    }),
    { numRuns: 3000 },
  );
});

test('statusWord reads what upper-cased atom() reads, and stops where it stops', async () => {
  const fc = (await import('fast-check')).default;
  const piece = fc.constantFrom(
    'OK',
    'NO',
    'BAD',
    'ok',
    'O',
    'B',
    'BA',
    'K',
    ' ',
    '[',
    ']',
    'x',
    '\r\n',
    'é',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 5 }), (parts) => {
      const line = Buffer.from(`a1 ${parts.join('')}`, 'utf8');
      const fast = new Reader(line);
      const plain = new Reader(line);
      fast.pos = plain.pos = 3;
      const read = (r: Reader, f: () => string): string => {
        try {
          return `${f()} @${r.pos}`;
        } catch (error) {
          return `error: ${(error as Error).message}`;
        }
      };
      assert.equal(
        read(fast, () => fast.statusWord()),
        read(plain, () => upperCase(plain.atom())),
        JSON.stringify(line.toString('latin1')),
      );
    }),
    { numRuns: 5000 },
  );
});

test('a typed line keeps its tag and upper-cases its verb; an odd verb is read as raw', () => {
  const info = analyseRawLine(Buffer.from('a1 uid fetch 1:* FLAGS\r\n'));
  assert.equal(info.tag, 'a1');
  assert.equal(info.verb, 'UID FETCH');
  assert.equal(analyseRawLine(Buffer.from('t7 NOOP\r\n')).verb, 'NOOP');
  assert.equal(analyseRawLine(Buffer.from('t8 N_OP\r\n')).verb, '(raw)');
  assert.equal(analyseRawLine(Buffer.from('t9 9OOP\r\n')).verb, '(raw)');
});

test('utf8Text decodes any bytes as Buffer does, invalid UTF-8 included', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 10 }), fc.nat(3), (bytes, skip) => {
      const buf = Buffer.from(bytes);
      const start = Math.min(skip, buf.length);
      assert.equal(utf8Text(buf, start, buf.length), buf.toString('utf8', start));
    }),
    { numRuns: 3000 },
  );
});

test('utf8Line encodes any text as Buffer.from does, with or without CRLF', async () => {
  const fc = (await import('fast-check')).default;
  const piece = fc.constantFrom('NOOP', 'é', '\ud800', '😀', '\r', '\n', ' ', '');
  fc.assert(
    fc.property(
      fc.array(fc.oneof(piece, fc.string({ maxLength: 8 }), fc.string({ minLength: 120, maxLength: 140 })), {
        maxLength: 4,
      }),
      fc.boolean(),
      (parts, crlf) => {
        const text = parts.join('');
        assert.deepEqual(utf8Line(text, crlf), Buffer.from(crlf ? text + '\r\n' : text, 'utf8'));
      },
    ),
    { numRuns: 3000 },
  );
});
