import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { createMechanism, SaslCredentialError } from '../../../src/protocol/sasl/index.js';
import type { SaslMechanism, SaslStep } from '../../../src/protocol/sasl/types.js';

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

function scram(
  name: 'SCRAM-SHA-1' | 'SCRAM-SHA-256',
  nonce: string,
  password = 'pencil',
  minIterations?: number,
): SaslMechanism {
  const mechanism = createMechanism(
    name,
    { username: 'user', password },
    { scram: { nonce, minIterations } },
  );
  assert.ok(mechanism);
  return mechanism;
}

function responded(step: SaslStep): string {
  assert.equal(step.kind, 'respond', step.kind === 'abort' ? step.reason : '');
  return step.kind === 'respond' ? text(step.response) : '';
}

function aborted(step: SaslStep): string {
  assert.equal(step.kind, 'abort');
  return step.kind === 'abort' ? step.reason : '';
}

const SHA1_NONCE = 'fyko+d2lbbFgONRv9qkxdawL';
const SHA1_SERVER_FIRST = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
const SHA256_NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SHA256_SERVER_FIRST =
  'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';

describe('SCRAM test vectors', () => {
  test('RFC 5802 section 5 (SCRAM-SHA-1)', () => {
    const m = scram('SCRAM-SHA-1', SHA1_NONCE);
    assert.equal(text(m.initialResponse()), 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    assert.equal(
      responded(m.respond(bytes(SHA1_SERVER_FIRST))),
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    );
    assert.equal(m.verifySuccess(bytes('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')), null);
  });

  test('RFC 7677 section 3 (SCRAM-SHA-256), server-final as a challenge', () => {
    const m = scram('SCRAM-SHA-256', SHA256_NONCE);
    assert.equal(text(m.initialResponse()), 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    assert.equal(
      responded(m.respond(bytes(SHA256_SERVER_FIRST))),
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    assert.equal(responded(m.respond(bytes('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))), '');
    assert.equal(m.verifySuccess(null), null);
  });

  test('a random nonce is used by default and differs per exchange', () => {
    const a = text(
      createMechanism('SCRAM-SHA-256', { username: 'u', password: 'p' })?.initialResponse() ?? null,
    );
    const b = text(
      createMechanism('SCRAM-SHA-256', { username: 'u', password: 'p' })?.initialResponse() ?? null,
    );
    assert.match(a, /^n,,n=u,r=[A-Za-z0-9+/=]{32}$/);
    assert.notEqual(a, b);
  });

  test('user name and authzid are escaped', () => {
    const m = createMechanism(
      'SCRAM-SHA-1',
      { username: 'a,b=c', password: 'p', authzid: 'x=y' },
      { scram: { nonce: 'abc' } },
    );
    assert.equal(text(m?.initialResponse() ?? null), 'n,a=x=3Dy,n=a=2Cb=3Dc,r=abc');
  });
});

describe('SCRAM server signature', () => {
  test('a wrong server signature aborts', () => {
    const m = scram('SCRAM-SHA-1', SHA1_NONCE);
    m.initialResponse();
    responded(m.respond(bytes(SHA1_SERVER_FIRST)));
    assert.match(
      aborted(m.respond(bytes('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA='))),
      /server signature does not verify/,
    );
  });

  test('success without any server signature is refused', () => {
    const m = scram('SCRAM-SHA-256', SHA256_NONCE);
    m.initialResponse();
    responded(m.respond(bytes(SHA256_SERVER_FIRST)));
    assert.match(m.verifySuccess(null) ?? '', /without a server signature/);
  });

  test('success right after client-first is refused', () => {
    const m = scram('SCRAM-SHA-256', SHA256_NONCE);
    m.initialResponse();
    assert.match(m.verifySuccess(null) ?? '', /before the exchange finished/);
  });

  test('a wrong signature in the success data is refused', () => {
    const m = scram('SCRAM-SHA-1', SHA1_NONCE);
    m.initialResponse();
    responded(m.respond(bytes(SHA1_SERVER_FIRST)));
    assert.match(m.verifySuccess(bytes('v=rmF9pqV8S7suAoZWja4dJRkFsKQ')) ?? '', /not valid base64/);
  });

  test('a server error in server-final aborts with its text', () => {
    const m = scram('SCRAM-SHA-1', SHA1_NONCE);
    m.initialResponse();
    responded(m.respond(bytes(SHA1_SERVER_FIRST)));
    assert.match(aborted(m.respond(bytes('e=invalid-proof'))), /server reported an error: "invalid-proof"/);
  });
});

describe('SCRAM hostile server-first', () => {
  const cases: Array<[string, string | Uint8Array, RegExp]> = [
    ['garbage', 'hello there', /malformed/],
    ['binary garbage', new Uint8Array([0xff, 0xfe, 0x00]), /not UTF-8/],
    [
      'wrong nonce prefix',
      'r=XXXX+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096',
      /does not start with the client nonce/,
    ],
    ['no server nonce part', `r=${SHA1_NONCE},s=QSXCR+Q6sek8bf92,i=4096`, /did not add its own part/],
    ['bad base64 salt', `r=${SHA1_NONCE}x,s=QSX!CR+Q6sek8bf92,i=4096`, /salt is not valid base64/],
    ['missing salt', `r=${SHA1_NONCE}x,i=4096`, /must start with r=, s=, i=/],
    ['missing iterations', `r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92`, /must start with r=, s=, i=/],
    ['non-numeric iterations', `r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92,i=4k`, /not a positive number/],
    ['too few iterations', `r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92,i=1`, /only 1 iterations \(at least 4096/],
    [
      'absurd iterations',
      `r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92,i=2000000000`,
      /more than the limit of 10000000/,
    ],
    ['mandatory extension', `m=ext,r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92,i=4096`, /mandatory extension/],
    ['empty', '', /malformed|must start/],
  ];
  for (const [name, challenge, expected] of cases) {
    test(name, () => {
      const m = scram('SCRAM-SHA-1', SHA1_NONCE);
      m.initialResponse();
      const input = typeof challenge === 'string' ? bytes(challenge) : challenge;
      assert.match(aborted(m.respond(input)), expected);
      // After an abort every further challenge aborts too.
      assert.equal(m.respond(bytes('v=x')).kind, 'abort');
    });
  }

  test('minIterations can be lowered for test servers', () => {
    const m = scram('SCRAM-SHA-1', SHA1_NONCE, 'pencil', 1);
    m.initialResponse();
    assert.equal(m.respond(bytes(`r=${SHA1_NONCE}x,s=QSXCR+Q6sek8bf92,i=1`)).kind, 'respond');
  });

  test('never throws on arbitrary challenges (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }), (challenges) => {
        const m = scram('SCRAM-SHA-256', SHA256_NONCE, 'pencil', 1);
        m.initialResponse();
        for (const challenge of challenges) m.respond(challenge);
        m.verifySuccess(challenges[0] ?? null);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SCRAM against an independent server computation', () => {
  test('proof verifies and SASLprep maps a non-ASCII space', () => {
    const m = createMechanism(
      'SCRAM-SHA-256',
      { username: 'u', password: 'pass\u00A0word\u00AD' },
      { scram: { nonce: 'abc' } },
    );
    assert.ok(m);
    m.initialResponse();
    const serverFirst = 'r=abcdef,s=c2FsdA==,i=4096';
    const clientFinal = responded(m.respond(bytes(serverFirst)));
    const salted = pbkdf2Sync('pass word', 'salt', 4096, 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = 'c=biws,r=abcdef';
    const authMessage = `n=u,r=abc,${serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] ?? 0)));
    assert.equal(clientFinal, `${withoutProof},p=${proof.toString('base64')}`);
    const serverSignature = createHmac('sha256', createHmac('sha256', salted).update('Server Key').digest())
      .update(authMessage)
      .digest('base64');
    assert.equal(m.verifySuccess(bytes(`v=${serverSignature}`)), null);
  });

  test('a password SASLprep prohibits is refused before anything is sent', () => {
    assert.throws(
      () => createMechanism('SCRAM-SHA-1', { username: 'u', password: 'bell\u0007' }),
      (error: unknown) =>
        error instanceof SaslCredentialError && /ASCII control character \(U\+0007\)/.test(error.message),
    );
  });
});
