// Serializing then parsing round-trips: whatever strings and lists the client compiler writes,
// the sandbox's independent server-side reader and parser read back the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCommand } from '../../../src/protocol/imap/compiler.js';
import { CommandReader, type CommandUnit } from '../../../src/sandbox/imap/command-reader.js';
import { parseCommand, type Arg } from '../../../src/sandbox/imap/parser.js';

function readBack(bytes: Buffer): CommandUnit[] {
  const units: CommandUnit[] = [];
  const reader = new CommandReader({
    unit: (u) => units.push(u),
    continueLiteral: () => undefined,
    refusedLiteral: (_tag, message) => assert.fail(message),
    fatal: (message) => assert.fail(message),
  });
  reader.push(bytes);
  return units;
}

/** What a compiled argument means once read: strings as text, lists as arrays. */
type Value = string | Value[];
function valueOf(arg: Arg): Value {
  if (arg.kind === 'list') return arg.items.map(valueOf);
  if (arg.kind === 'string') return arg.bytes.toString('utf8');
  return arg.value;
}

// Any text without NUL (a plain IMAP string can never carry NUL, RFC 3501 section 9).
const special = fc.constantFrom(
  '"',
  '\\',
  '(',
  ')',
  '{',
  '}',
  ' ',
  '\r',
  '\n',
  '*',
  '%',
  'é',
  '😀',
  'a',
  'Z',
  '0',
);
const text = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(special, { maxLength: 20 }).map((a) => a.join('')),
  )
  .filter((s) => !s.includes('\0'));
const value: fc.Arbitrary<Value> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, text, fc.array(tie('v'), { maxLength: 4 })),
})).v as fc.Arbitrary<Value>;

test('compiled strings and lists read back unchanged by an independent parser', () => {
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.boolean(), (args, literalPlus) => {
      const parts = compileCommand('A1', 'XTEST', args, { literalPlus });
      const [unit, ...rest] = readBack(Buffer.concat(parts.map((p) => p.bytes)));
      assert.equal(rest.length, 0);
      assert.ok(unit);
      const parsed = parseCommand(unit);
      assert.equal(parsed.tag, 'A1');
      assert.equal(parsed.name, 'XTEST');
      assert.deepEqual(parsed.args.map(valueOf), args);
    }),
    { numRuns: 2000 },
  );
});
