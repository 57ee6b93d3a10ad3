import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileCommand,
  CompileError,
  parseSequenceSet,
  sequenceSet,
  encodeMailboxName,
  decodeMailboxName,
  ImapClientCodec,
  type ImapArg,
} from '../../../src/protocol/imap/index.js';

function wire(args: readonly ImapArg[], options = {}): string[] {
  return compileCommand('A1', 'TEST', args, options).map((p) => p.bytes.toString('utf8'));
}

describe('compiler quoting', () => {
  test('astrings: atom when safe, quoted when needed, literal for 8-bit, CR/LF or long text', () => {
    assert.deepEqual(wire(['INBOX']), ['A1 TEST INBOX\r\n']);
    assert.deepEqual(wire(['']), ['A1 TEST ""\r\n']);
    assert.deepEqual(wire(['two words']), ['A1 TEST "two words"\r\n']);
    assert.deepEqual(wire(['say "hi" \\ bye']), ['A1 TEST "say \\"hi\\" \\\\ bye"\r\n']);
    assert.deepEqual(wire(['NIL']), ['A1 TEST "NIL"\r\n'], 'a bare NIL would mean NIL');
    assert.deepEqual(wire(['a*b', '%']), ['A1 TEST "a*b" "%"\r\n']);
    assert.deepEqual(wire(['Entwürfe']), ['A1 TEST {9}\r\n', 'Entwürfe', '\r\n']);
    assert.deepEqual(wire(['line\r\nbreak']), ['A1 TEST {11}\r\n', 'line\r\nbreak', '\r\n']);
    const long = 'x '.repeat(600);
    assert.deepEqual(wire([long]), ['A1 TEST {1200}\r\n', long, '\r\n']);
  });

  test('quoted strings refuse CR, LF, NUL and 8-bit text with a reason', () => {
    for (const bad of ['a\rb', 'a\nb', 'a\0b', 'é']) {
      assert.throws(
        () => wire([{ quoted: bad }]),
        (e: unknown) => e instanceof CompileError && /use a literal/.test(e.message),
      );
    }
    assert.deepEqual(wire([{ quoted: 'ok' }]), ['A1 TEST "ok"\r\n']);
  });

  test('a NUL byte in a string or non-binary literal is refused; binary literals allow it', () => {
    assert.throws(() => wire(['a\0b' + 'é']), /NUL/);
    assert.throws(() => wire([{ literal: Uint8Array.of(1, 0, 2) }]), /binary literal/);
    assert.deepEqual(wire([{ literal: Uint8Array.of(65, 0, 66), binary: true }]), [
      'A1 TEST ~{3}\r\n',
      'A\0B',
      '\r\n',
    ]);
  });

  test('synchronizing literals wait for a continuation; LITERAL+ and LITERAL- do not', () => {
    const sync = compileCommand('A1', 'APPEND', ['INBOX', { literal: 'hello' }]);
    assert.deepEqual(
      sync.map((p) => [p.bytes.toString(), p.wait === true, p.payload === true]),
      [
        ['A1 APPEND INBOX {5}\r\n', false, false],
        ['hello', true, true],
        ['\r\n', false, false],
      ],
    );
    const plus = compileCommand('A1', 'APPEND', ['INBOX', { literal: 'hello' }], { literalPlus: true });
    assert.equal(plus[0]?.bytes.toString(), 'A1 APPEND INBOX {5+}\r\n');
    assert.ok(plus.every((p) => p.wait !== true));
    const big = { literal: Buffer.alloc(5000, 'a') };
    const minus = compileCommand('A1', 'APPEND', ['INBOX', { literal: 'hi' }, big], { literalMinus: true });
    assert.deepEqual(
      minus.map((p) => p.bytes.subarray(0, 20).toString()),
      ['A1 APPEND INBOX {2+}', 'hi', ' {5000}\r\n', 'a'.repeat(20), '\r\n'],
    );
    assert.equal(minus[3]?.wait, true, 'LITERAL- only covers literals up to 4096 octets');
  });

  test('lists, numbers, atoms, verbatim items and secrets', () => {
    const parts = compileCommand('A7', 'uid fetch', [
      { sequence: [1, [4, 7], [9, '*']] },
      [{ atom: 'UID' }, { verbatim: 'BODY.PEEK[HEADER.FIELDS (FROM)]<0.100>' }],
      { secret: 'pw' },
      42,
      2n ** 63n - 1n,
    ]);
    assert.equal(
      parts[0]?.bytes.toString(),
      'A7 UID FETCH 1,4:7,9:* (UID BODY.PEEK[HEADER.FIELDS (FROM)]<0.100>) pw 42 9223372036854775807\r\n',
    );
    const start = parts[0]?.bytes.indexOf('pw') ?? -1;
    assert.deepEqual(parts[0]?.secrets, [[start, start + 2]]);
    assert.throws(() => compileCommand('A1', 'X', [{ atom: 'a b' }]), /not an atom/);
    assert.throws(() => compileCommand('A1', 'X', [{ verbatim: 'a\r\nA2 DELETE INBOX' }]), /CR, LF/);
    assert.throws(() => compileCommand('A1', 'X', [-1]), /invalid number/);
    assert.throws(() => compileCommand('A1', 'BAD VERB X', []), /invalid command verb/);
    assert.throws(() => compileCommand('A 1', 'NOOP', []), /invalid tag/);
  });

  test('secret passwords sent as literals are wholly secret and not marked as payload', () => {
    const parts = compileCommand('A1', 'LOGIN', ['bob', { secret: 'pässword' }]);
    assert.equal(parts[0]?.bytes.toString(), 'A1 LOGIN bob {9}\r\n');
    assert.deepEqual(parts[1]?.secrets, [[0, 9]]);
    assert.equal(parts[1]?.payload, undefined);
  });

  test('sequence sets are validated and can be expanded', () => {
    assert.equal(sequenceSet('1:*'), '1:*');
    assert.equal(sequenceSet('$'), '$');
    assert.throws(() => sequenceSet('1:2 3'), /invalid sequence set/);
    assert.throws(() => sequenceSet([0]), /invalid sequence number/);
    assert.throws(() => sequenceSet([]), /empty/);
    assert.deepEqual(parseSequenceSet('41,43:116,9:3'), [
      [41, 41],
      [43, 116],
      [3, 9],
    ]);
  });

  test('command lines over maxClientLineLength are refused', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => i + 1);
    assert.throws(
      () => compileCommand('A1', 'FETCH', [{ sequence: many }, { atom: 'UID' }]),
      /maxClientLineLength/,
    );
  });
});

describe('modified UTF-7 mailbox names', () => {
  test('RFC 3501 examples round-trip; & is escaped; invalid input is reported as null', () => {
    assert.equal(encodeMailboxName('~peter/mail/台北/日本語'), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    assert.equal(decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), '~peter/mail/台北/日本語');
    assert.equal(encodeMailboxName('Tom & Jerry'), 'Tom &- Jerry');
    assert.equal(decodeMailboxName('Tom &- Jerry'), 'Tom & Jerry');
    assert.equal(decodeMailboxName('Entw&APw-rfe'), 'Entwürfe');
    assert.equal(decodeMailboxName('bad &zz'), null);
    assert.equal(decodeMailboxName('raw utf-8 ü'), null);
  });

  test('select() encodes for IMAP4rev1 servers, not for IMAP4rev2', () => {
    const rev1 = new ImapClientCodec();
    rev1.receive(Buffer.from('* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n'));
    rev1.select('Entwürfe');
    assert.equal(Buffer.from(rev1.takeOutgoing()[0]?.bytes ?? []).toString(), 'A1 SELECT Entw&APw-rfe\r\n');
    rev1.receive(Buffer.from('A1 OK done\r\n'));
    assert.equal(rev1.selected, 'Entwürfe');
    const rev2 = new ImapClientCodec();
    rev2.receive(Buffer.from('* PREAUTH [CAPABILITY IMAP4rev2] hi\r\n'));
    rev2.select('Entwürfe');
    assert.equal(
      Buffer.from(rev2.takeOutgoing()[0]?.bytes ?? []).toString(),
      'A1 SELECT {9+}\r\n',
      'LITERAL- is part of IMAP4rev2',
    );
  });
});
