import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  HISTORY_MAX,
  addToHistory,
  readHistory,
  sanitizeForHistory,
} from '../../../src/vscode/send-history.js';

describe('Send Line history', () => {
  test('ordinary lines are kept exactly as typed', () => {
    assert.equal(sanitizeForHistory('a1 SELECT INBOX'), 'a1 SELECT INBOX');
    assert.equal(sanitizeForHistory('EHLO client.example'), 'EHLO client.example');
    assert.equal(sanitizeForHistory('QUIT'), 'QUIT');
    assert.equal(sanitizeForHistory('  MAIL FROM:<a@b>  '), '  MAIL FROM:<a@b>  ');
  });

  test('secrets are cut off, keeping the part worth recalling', () => {
    assert.equal(sanitizeForHistory('a1 LOGIN alice hunter2'), 'a1 LOGIN alice ');
    assert.equal(sanitizeForHistory('a1 login "al ice" "hunter 2"'), 'a1 login "al ice" ');
    assert.equal(sanitizeForHistory('a1 LOGIN {5}'), 'a1 LOGIN ');
    assert.equal(sanitizeForHistory('a2 AUTHENTICATE PLAIN AGFsaWNlAGh1bnRlcjI='), 'a2 AUTHENTICATE PLAIN');
    assert.equal(sanitizeForHistory('PASS hunter2'), 'PASS ');
    assert.equal(sanitizeForHistory('APOP alice c4c9334bac560ecc979e58001b3e22fb'), 'APOP alice ');
    assert.equal(sanitizeForHistory('AUTH PLAIN AGFsaWNlAGh1bnRlcjI='), 'AUTH PLAIN');
    assert.equal(sanitizeForHistory('auth login'), 'auth login');
  });

  test('single tokens that are not commands (SASL responses) are never stored', () => {
    assert.equal(sanitizeForHistory('YWxpY2U='), undefined);
    assert.equal(sanitizeForHistory('aHVudGVy'), undefined); // base64 with letters only
    assert.equal(sanitizeForHistory('*'), undefined);
    assert.equal(sanitizeForHistory('STLS'), 'STLS');
    assert.equal(sanitizeForHistory('DONE'), 'DONE');
    assert.equal(sanitizeForHistory(''), undefined);
  });

  test('no stored history line ever contains the password', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9!#%&*+=?^_~-]{6,20}$/);
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom('a1 LOGIN alice ', 'PASS ', 'AUTH PLAIN ', 'A9 AUTHENTICATE XOAUTH2 ', ''),
        (pw, prefix) => {
          const history = addToHistory([], prefix + pw);
          assert.ok(!history.some((h) => h.includes(pw)), JSON.stringify(history));
        },
      ),
    );
  });

  test('newest first, no duplicates, at most 50, and stored state is read defensively', () => {
    let h: string[] = [];
    for (let i = 0; i < 60; i++) h = addToHistory(h, `a${i} NOOP`);
    h = addToHistory(h, 'a55 NOOP');
    assert.equal(h.length, HISTORY_MAX);
    assert.equal(h[0], 'a55 NOOP');
    assert.equal(h.filter((x) => x === 'a55 NOOP').length, 1);
    assert.deepEqual(readHistory(['a1 NOOP', 3, null, 'PASS hunter2', 'PASS ']), ['a1 NOOP', 'PASS ']);
    assert.deepEqual(readHistory('nope'), []);
  });
});
