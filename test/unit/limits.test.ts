import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitMessage, formatBytes } from '../../src/protocol/limits.js';

test('limit messages name the limit and its size', () => {
  assert.equal(limitMessage('line', 'maxLineLength'), 'line exceeds 1 MiB (limit maxLineLength)');
  assert.equal(formatBytes(1500), '1500 bytes');
});
