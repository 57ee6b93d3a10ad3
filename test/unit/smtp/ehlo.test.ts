import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEhlo } from '../../../src/protocol/smtp/ehlo.js';
import { loadDialogue } from './dialogue.js';

function ehloLines(fixture: string): string[] {
  const steps = loadDialogue(fixture);
  const start = steps.findIndex((s) => s.line.startsWith('EHLO'));
  const out: string[] = [];
  for (const s of steps.slice(start + 1)) {
    if (s.from !== 'S') break;
    out.push(s.line.slice(4));
    if (s.line[3] === ' ') break;
  }
  return out;
}

describe('EHLO keywords', () => {
  test('a Postfix-like reply', () => {
    const caps = parseEhlo(ehloLines('smtp/postfix-session.txt'));
    assert.equal(caps.domain, 'mx.example.net');
    assert.equal(caps.size, 10240000);
    assert.deepEqual(caps.auth, ['PLAIN', 'LOGIN']);
    assert.equal(caps.authObsoleteForm, true);
    for (const k of [
      'pipelining',
      'startTls',
      'enhancedStatusCodes',
      'eightBitMime',
      'dsn',
      'smtpUtf8',
      'chunking',
    ] as const) {
      assert.equal(caps[k], true, k);
    }
    assert.equal(caps.requireTls, false);
    assert.equal(caps.binaryMime, false);
    assert.deepEqual([...caps.other.keys()], ['VRFY', 'ETRN']);
  });

  test('an Exchange-like reply: SIZE without number, AUTH= only adds, unknown keywords kept', () => {
    const caps = parseEhlo(ehloLines('smtp/exchange-ehlo.txt'));
    assert.equal(caps.greeting, 'Hello [192.0.2.10]');
    assert.equal(caps.size, null);
    assert.deepEqual(caps.auth, ['NTLM', 'LOGIN']);
    assert.deepEqual(caps.other.get('X-EXPS'), ['GSSAPI', 'NTLM']);
    assert.ok(caps.other.has('X-ANONYMOUSTLS'));
    assert.equal(caps.binaryMime, true);
    assert.equal(caps.requireTls, true);
  });

  test('no SIZE at all is undefined; garbage lines are kept as malformed', () => {
    const caps = parseEhlo(['host', '', '%%%', 'size abc']);
    assert.equal(caps.size, null);
    assert.deepEqual(caps.malformed, ['', '%%%']);
    assert.equal(parseEhlo(['host']).size, undefined);
  });
});
