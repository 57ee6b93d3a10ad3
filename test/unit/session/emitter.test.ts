// The session's event emitter: what a listener that throws, unsubscribes mid-emit or subscribes
// twice does to the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/session/emitter.js';

interface Events extends Record<string, unknown> {
  line: string;
}

test('a throwing listener is reported and the others still hear the event', () => {
  const errors: unknown[] = [];
  const emitter = new Emitter<Events>((e) => errors.push(e));
  const heard: string[] = [];
  emitter.on('line', () => {
    throw new Error('broken view');
  });
  emitter.on('line', (l) => heard.push(l));
  emitter.emit('line', 'a1 OK');
  assert.deepEqual(heard, ['a1 OK']);
  assert.equal((errors[0] as Error).message, 'broken view');
});

test('a listener removed during an emit still hears that event, not the next', () => {
  const emitter = new Emitter<Events>();
  const heard: string[] = [];
  let offSecond = (): void => undefined;
  emitter.on('line', () => offSecond());
  offSecond = emitter.on('line', (l) => heard.push(l));
  emitter.emit('line', 'first');
  emitter.emit('line', 'second');
  assert.deepEqual(heard, ['first']);
});

test('a listener added during an emit hears only later events', () => {
  const emitter = new Emitter<Events>();
  const heard: string[] = [];
  let added = false;
  emitter.on('line', () => {
    if (!added) emitter.on('line', (l) => heard.push(l));
    added = true;
  });
  emitter.emit('line', 'first');
  emitter.emit('line', 'second');
  assert.deepEqual(heard, ['second']);
});

test('the same function subscribed twice is called once and removed by either unsubscribe', () => {
  const emitter = new Emitter<Events>();
  const heard: string[] = [];
  const listener = (l: string): void => {
    heard.push(l);
  };
  const offA = emitter.on('line', listener);
  emitter.on('line', listener);
  emitter.emit('line', 'one');
  offA();
  emitter.emit('line', 'two');
  assert.deepEqual(heard, ['one']);
});

test('a watcher hears when an event gains its first listener and loses its last', () => {
  const emitter = new Emitter<Events>();
  const told: boolean[] = [];
  emitter.watch('line', (listening) => told.push(listening));
  const offA = emitter.on('line', () => undefined);
  const offB = emitter.on('line', () => undefined);
  offA();
  offA();
  offB();
  emitter.on('line', () => undefined);
  emitter.clear();
  assert.deepEqual(told, [true, false, true, false]);
  // A watcher set while someone listens is told at once.
  emitter.on('line', () => undefined);
  const late: boolean[] = [];
  emitter.watch('line', (listening) => late.push(listening));
  assert.deepEqual(late, [true]);
});
