import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saslPrep } from '../../../src/protocol/sasl/saslprep.js';

// RFC 4013 section 3 examples, plus the common cases a user would hit.
const good: Array<[string, string]> = [
  ['I\u00ADX', 'IX'],
  ['user', 'user'],
  ['USER', 'USER'],
  ['\u00AA', 'a'],
  ['\u2168', 'IX'],
  ['a\u00A0b\u3000c', 'a b c'],
  ['caf\u0065\u0301', 'caf\u00E9'],
  ['\u05D0\u05D1', '\u05D0\u05D1'],
];

for (const [input, expected] of good) {
  test(`SASLprep maps ${JSON.stringify(input)}`, () => {
    assert.deepEqual(saslPrep(input, 'password'), { ok: true, value: expected });
  });
}

const bad: Array<[string, RegExp]> = [
  ['\u0007', /ASCII control character \(U\+0007\)/],
  ['\u0627\u0031', /does not start and end with a right-to-left/],
  ['\u05D0a\u05D0', /mixes right-to-left and left-to-right/],
  ['x\uE000', /private-use/],
  ['x\u200E', /directionality/],
  ['x\uFFFF', /non-character/],
];

for (const [input, expected] of bad) {
  test(`SASLprep refuses ${JSON.stringify(input)}`, () => {
    const result = saslPrep(input, 'password');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, expected);
  });
}
