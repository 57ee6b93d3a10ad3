import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchReply, type ResolvedExpectation } from '../../../src/script/matcher.js';

const p = (text: string): ResolvedExpectation => ({ kind: 'prefix', text });
const r = (regex: RegExp): ResolvedExpectation => ({ kind: 'regex', regex });

const SELECT = [
  '* FLAGS (\\Seen)',
  '* 3 EXISTS',
  '* OK [UIDVALIDITY 1] ok',
  'a2 OK [READ-WRITE] SELECT completed',
];

describe('matcher', () => {
  test('loose: expectations match in order, other lines allowed, named groups collected', () => {
    const m = matchReply([r(/\* (?<count>\d+) EXISTS/), p('a2 OK')], SELECT, { strict: false });
    assert.equal(m.ok, true);
    assert.deepEqual(m.variables, { count: '3' });
    assert.deepEqual(
      m.expectations.map((e) => e.lineIndex),
      [1, 3],
    );
  });

  test('the failure message shows the actual line', () => {
    const m = matchReply([p('a1 OK')], ['a1 NO [AUTHENTICATIONFAILED] Authentication failed.'], {
      strict: false,
    });
    assert.equal(m.ok, false);
    assert.equal(
      m.expectations[0]?.message,
      'expected a line starting with "a1 OK", got: "a1 NO [AUTHENTICATIONFAILED] Authentication failed."',
    );
    assert.equal(m.message, m.expectations[0]?.message);
  });

  test('order matters: a line already passed is not matched again', () => {
    const m = matchReply([p('a2 OK'), p('* 3 EXISTS')], SELECT, { strict: false });
    assert.equal(m.expectations[0]?.ok, true);
    assert.equal(m.expectations[1]?.ok, false);
    assert.match(m.expectations[1]?.message ?? '', /got no more lines after the earlier matches/);
  });

  test('regex failures name the regex; long and hostile lines are quoted and shortened', () => {
    const m = matchReply([r(/^250 /)], ['550 \u0000bad\r' + 'x'.repeat(1000)], { strict: false });
    const msg = m.expectations[0]?.message ?? '';
    assert.match(msg, /^expected a line matching \/\^250 \/, got: "550 \\u0000bad\\r/);
    assert.ok(msg.length < 400);
    assert.match(matchReply([p('x')], [], { strict: false }).message ?? '', /got no reply lines/);
  });

  test('strict: each expectation must match the next line, and extra lines fail', () => {
    assert.equal(
      matchReply([p('* FLAGS'), p('* 3'), p('* OK'), p('a2 OK')], SELECT, { strict: true }).ok,
      true,
    );
    const missing = matchReply([p('* 3 EXISTS'), p('a2 OK')], SELECT, { strict: true });
    assert.equal(missing.ok, false);
    assert.match(missing.expectations[0]?.message ?? '', /as line 1 of the reply, got: "\* FLAGS/);
    const extra = matchReply([p('* FLAGS'), p('* 3')], SELECT, { strict: true });
    assert.equal(
      extra.expectations.every((e) => e.ok),
      true,
    );
    assert.deepEqual(
      extra.unexpected.map((u) => u.index),
      [2, 3],
    );
    assert.match(extra.message ?? '', /strict mode: unexpected reply lines "\* OK/);
    assert.match(
      matchReply([p('a'), p('b')], ['a'], { strict: true }).message ?? '',
      /the reply has only 1 line/,
    );
  });

  test('no expectations: always passes, strict or not', () => {
    assert.equal(matchReply([], SELECT, { strict: true }).ok, true);
  });

  test('property: each reply line as its own prefix always matches, loose and strict', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (lines) => {
        for (const strict of [false, true]) {
          const m = matchReply(lines.map(p), lines, { strict });
          assert.equal(m.ok, true);
        }
      }),
    );
  });

  test('property: a loose match of a subsequence of the lines always passes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.boolean()), { maxLength: 10 }),
        (rows) => {
          const lines = rows.map(([l]) => l);
          const picked = rows.filter(([, keep]) => keep).map(([l]) => p(l));
          assert.equal(matchReply(picked, lines, { strict: false }).ok, true);
        },
      ),
    );
  });
});
