import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestTag } from '../../../src/vscode/send-line-tag.js';

describe('Send Line IMAP tags', () => {
  test('a line starting with a verb gets the next tag; one with a tag, DONE or an exchange answer does not', () => {
    assert.equal(suggestTag('NOOP', 'L1', false).tagged, 'L1 NOOP');
    assert.equal(suggestTag('uid fetch 1:* (FLAGS)', 'L2', false).tagged, 'L2 uid fetch 1:* (FLAGS)');
    assert.equal(suggestTag('a1 NOOP', 'L3', false).tagged, undefined, 'already tagged');
    assert.equal(suggestTag('DONE', 'L3', false).tagged, undefined);
    assert.equal(suggestTag('AGFsaWNlAHNlY3JldA==', 'L3', false).tagged, undefined, 'a SASL answer');
    assert.equal(suggestTag('LOGIN alice x', 'L3', true).tagged, undefined, 'inside an exchange: as typed');
    assert.equal(suggestTag('', 'L3', false).tagged, undefined);
  });
});
