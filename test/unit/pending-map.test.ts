// PendingMap: the array-backed map of commands in flight behaves as a Map whatever the order
// replies come in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PendingMap } from '../../src/protocol/pending-map.js';

test('agrees with a Map over any sequence of sets, deletes and clears', () => {
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      key: fc.integer({ min: 0, max: 9 }),
      value: fc.integer(),
    }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('take' as const), key: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant('clear' as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const ours = new PendingMap<number, number>();
      const map = new Map<number, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          ours.set(o.key, o.value);
          map.set(o.key, o.value);
        } else if (o.kind === 'delete') assert.equal(ours.delete(o.key), map.delete(o.key));
        else if (o.kind === 'take') {
          const expected = map.get(o.key);
          map.delete(o.key);
          assert.equal(ours.take(o.key), expected);
        } else {
          ours.clear();
          map.clear();
        }
        assert.equal(ours.size, map.size);
        assert.deepEqual(ours.entries(), [...map.entries()]);
        assert.deepEqual(ours.values, [...map.values()]);
        for (let k = 0; k < 10; k++) {
          assert.equal(ours.has(k), map.has(k));
          assert.equal(ours.get(k), map.get(k));
        }
      }
    }),
  );
});

test('entries() is a snapshot: deleting while looping over it visits every entry once', () => {
  const pending = new PendingMap<string, number>();
  for (const [i, tag] of ['A1', 'A2', 'A3'].entries()) pending.set(tag, i);
  const seen: string[] = [];
  for (const [tag] of pending.entries()) {
    seen.push(tag);
    pending.delete(tag);
  }
  assert.deepEqual(seen, ['A1', 'A2', 'A3']);
  assert.equal(pending.size, 0);
});

test('forEach visits the oldest first', () => {
  const pending = new PendingMap<number, string>();
  pending.set(3, 'c').set(1, 'a').set(2, 'b');
  pending.delete(1);
  const seen: string[] = [];
  pending.forEach((value, key) => seen.push(`${key}=${value}`));
  assert.deepEqual(seen, ['3=c', '2=b']);
});
