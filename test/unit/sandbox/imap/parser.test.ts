// Command framing and parsing: chunk boundaries do not matter; hostile input only ever BADs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CommandReader, type CommandUnit } from '../../../../src/sandbox/imap/command-reader.js';
import { ParseError, parseCommand } from '../../../../src/sandbox/imap/parser.js';
import { decodeMailboxName, encodeMailboxName } from '../../../../src/sandbox/imap/mutf7.js';
import { formatSet, inSet, parseSequenceSet } from '../../../../src/sandbox/imap/sequence-set.js';

function readAll(chunks: Buffer[]): { units: CommandUnit[]; continuations: number[] } {
  const units: CommandUnit[] = [];
  const continuations: number[] = [];
  const reader = new CommandReader({
    unit: (u) => units.push(u),
    continueLiteral: (n) => continuations.push(n),
    refusedLiteral: () => assert.fail('unexpected refusal'),
    fatal: (m) => assert.fail(m),
  });
  for (const c of chunks) reader.push(c);
  return { units, continuations };
}

describe('command reader', () => {
  const stream = Buffer.from('a1 LOGIN {5}\r\nalice "pw"\r\na2 APPEND INBOX {4+}\r\nab\r\n\r\na3 NOOP\r\n');

  test('splits commands and inlines literals, asking to continue only for synchronizing ones', () => {
    const { units, continuations } = readAll([stream]);
    assert.equal(units.length, 3);
    assert.deepEqual(continuations, [5]);
    const login = parseCommand(units[0]!);
    assert.equal(login.name, 'LOGIN');
    assert.deepEqual(
      login.args.map((a) => (a.kind === 'list' ? '()' : a.value)),
      ['alice', 'pw'],
    );
    const append = parseCommand(units[1]!);
    const literal = append.args[1];
    assert.ok(literal?.kind === 'string' && literal.literal);
    assert.equal(literal.bytes.toString(), 'ab\r\n');
  });

  test('any chunking gives the same commands', () => {
    const whole = readAll([stream]).units;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 10 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(stream.subarray(last, p));
          last = p;
        }
        chunks.push(stream.subarray(last));
        assert.deepEqual(readAll(chunks).units, whole);
      }),
    );
  });
});

describe('command parser', () => {
  test('parses UID commands, lists and BODY[...] atoms with spaces', () => {
    const cmd = parseCommand({
      segments: [{ line: 'x UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.50>)' }],
    });
    assert.equal(cmd.name, 'UID FETCH');
    assert.equal(cmd.uid, true);
    const items = cmd.args[1];
    assert.ok(items?.kind === 'list');
    assert.deepEqual(
      items.items.map((a) => (a.kind === 'list' ? '()' : a.value)),
      ['FLAGS', 'BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.50>'],
    );
  });

  test('random lines either parse or fail with a ParseError, never anything else', () => {
    const alphabet = fc.constantFrom(...'a1 ()"\\{}[]<>*%+-.:,\t~x'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        try {
          parseCommand({ segments: [{ line: chars.join('') }] });
        } catch (e) {
          assert.ok(e instanceof ParseError, String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('mailbox names and sequence sets', () => {
  test('modified UTF-7 round-trips any name', () => {
    assert.equal(encodeMailboxName('Café & Co'), 'Caf&AOk- &- Co');
    assert.equal(decodeMailboxName('&ZeVnLIqe-'), '日本語');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) =>
        assert.equal(decodeMailboxName(encodeMailboxName(s)), s),
      ),
    );
  });

  test('sequence sets: ranges, stars and compact formatting', () => {
    const set = parseSequenceSet('5:*,2');
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].filter((n) => inSet(set, n, 6)),
      [2, 5, 6],
    );
    assert.deepEqual(
      [1, 2, 3].filter((n) => inSet(parseSequenceSet('5:*'), n, 3)),
      [3],
      '5:* with 3 messages is 3',
    );
    assert.equal(formatSet([1, 2, 3, 5, 7, 8]), '1:3,5,7:8');
    assert.throws(() => parseSequenceSet('0:3'), ParseError);
    assert.throws(() => parseSequenceSet('1,,2'), ParseError);
  });
});
