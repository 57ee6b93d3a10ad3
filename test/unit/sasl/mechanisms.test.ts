import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createMechanism,
  SaslCredentialError,
  SUPPORTED_MECHANISMS,
  type OAuthMechanism,
} from '../../../src/protocol/sasl/index.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from '../../../src/protocol/sasl/types.js';

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

function make(name: string, credentials: SaslCredentials): SaslMechanism {
  const mechanism = createMechanism(name, credentials);
  assert.ok(mechanism, `${name} should exist`);
  return mechanism;
}

function responded(step: SaslStep): string {
  assert.equal(step.kind, 'respond', step.kind === 'abort' ? step.reason : '');
  return step.kind === 'respond' ? text(step.response) : '';
}

describe('factory', () => {
  test('every supported name builds a mechanism with that name; unknown names give undefined', () => {
    for (const name of SUPPORTED_MECHANISMS) {
      const mechanism = createMechanism(name.toLowerCase(), { username: 'u', password: 'p', token: 't' });
      assert.equal(mechanism?.name, name);
    }
    assert.equal(createMechanism('GSSAPI', { username: 'u', password: 'p' }), undefined);
    assert.equal(createMechanism('', { username: 'u', password: 'p' }), undefined);
  });

  test('missing secrets are reported before anything is sent, without the other secret', () => {
    assert.throws(
      () => createMechanism('PLAIN', { username: 'u', token: 'tok-secret' }),
      /PLAIN needs a password/,
    );
    assert.throws(
      () => createMechanism('XOAUTH2', { username: 'u', password: 'pw-secret' }),
      (error: unknown) => {
        assert.ok(error instanceof SaslCredentialError);
        assert.match(error.message, /XOAUTH2 needs a token/);
        assert.doesNotMatch(error.message, /pw-secret/);
        return true;
      },
    );
  });

  test('PLAIN refuses a NUL inside a field and does not echo the password', () => {
    assert.throws(
      () => createMechanism('PLAIN', { username: 'u', password: 'a\0secret' }),
      (error: unknown) => {
        assert.ok(error instanceof SaslCredentialError);
        assert.match(error.message, /password that contains a NUL/);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      },
    );
  });
});

describe('PLAIN (RFC 4616)', () => {
  test('message layout with and without authzid', () => {
    assert.equal(
      text(make('PLAIN', { username: 'tim', password: 'tanstaaf' }).initialResponse()),
      '\0tim\0tanstaaf',
    );
    assert.equal(
      text(make('PLAIN', { username: 'Kurt', password: 'xipj3plmq', authzid: 'Ursel' }).initialResponse()),
      'Ursel\0Kurt\0xipj3plmq',
    );
  });

  test('answers an empty challenge (no SASL-IR), aborts on anything after', () => {
    const m = make('PLAIN', { username: 'u', password: 'p' });
    assert.equal(responded(m.respond(new Uint8Array())), '\0u\0p');
    assert.equal(m.respond(bytes('more?')).kind, 'abort');
  });
});

describe('LOGIN', () => {
  test('standard prompts', () => {
    const m = make('LOGIN', { username: 'u', password: 'p' });
    assert.equal(m.initialResponse(), null);
    assert.equal(responded(m.respond(bytes('Username:'))), 'u');
    assert.equal(responded(m.respond(bytes('Password:'))), 'p');
    assert.equal(m.respond(bytes('Again:')).kind, 'abort');
  });

  test('any prompt text: answers by order', () => {
    const m = make('LOGIN', { username: 'u', password: 'p' });
    assert.equal(responded(m.respond(bytes('Benutzername'))), 'u');
    assert.equal(responded(m.respond(new Uint8Array([0xff, 0x00]))), 'p');
  });

  test('password asked twice aborts rather than resending it', () => {
    const m = make('LOGIN', { username: 'u', password: 'p' });
    assert.equal(responded(m.respond(bytes('Password:'))), 'p');
    const step = m.respond(bytes('Password:'));
    assert.equal(step.kind, 'abort');
    if (step.kind === 'abort') assert.match(step.reason, /asked for the password twice/);
  });
});

describe('CRAM-MD5 (RFC 2195)', () => {
  test('RFC 2195 example', () => {
    const m = make('CRAM-MD5', { username: 'tim', password: 'tanstaaftanstaaf' });
    assert.equal(m.initialResponse(), null);
    assert.equal(
      responded(m.respond(bytes('<1896.697170952@postoffice.reston.mci.net>'))),
      'tim b913a602c7eda7a495b4e6e7334d3890',
    );
  });

  test('empty or second challenge aborts', () => {
    assert.equal(make('CRAM-MD5', { username: 'u', password: 'p' }).respond(new Uint8Array()).kind, 'abort');
    const m = make('CRAM-MD5', { username: 'u', password: 'p' });
    m.respond(bytes('<x@y>'));
    assert.equal(m.respond(bytes('<x@y>')).kind, 'abort');
  });
});

describe('XOAUTH2', () => {
  test('message format', () => {
    const m = make('XOAUTH2', {
      username: 'someuser@example.com',
      token: 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg',
    });
    assert.equal(
      text(m.initialResponse()),
      'user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01',
    );
  });

  test('error challenge with JSON: responds empty and keeps the reason', () => {
    const m = make('XOAUTH2', { username: 'u', token: 't' }) as OAuthMechanism;
    m.initialResponse();
    const step = m.respond(bytes('{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}'));
    assert.equal(responded(step), '');
    assert.match(m.serverError ?? '', /status "401"/);
    assert.equal(m.respond(bytes('{}')).kind, 'abort');
  });

  test('non-JSON error challenge is still answered', () => {
    const m = make('XOAUTH2', { username: 'u', token: 't' }) as OAuthMechanism;
    assert.equal(responded(m.respond(bytes('nope'))), '');
    assert.match(m.serverError ?? '', /"nope"/);
  });
});

describe('OAUTHBEARER (RFC 7628)', () => {
  test('RFC 7628 section 4.1 layout with host and port', () => {
    const m = make('OAUTHBEARER', {
      username: 'user@example.com',
      token: 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==',
      host: 'server.example.com',
      port: 143,
    });
    assert.equal(
      text(m.initialResponse()),
      'n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01',
    );
  });

  test('escapes the authzid; answers an error challenge with %x01', () => {
    const m = make('OAUTHBEARER', { username: 'a,b=c', token: 't' }) as OAuthMechanism;
    assert.match(text(m.initialResponse()), /^n,a=a=2Cb=3Dc,\x01auth=Bearer t\x01\x01$/);
    assert.equal(responded(m.respond(bytes('{"status":"invalid_token"}'))), '\x01');
    assert.match(m.serverError ?? '', /invalid_token/);
  });
});

test('no mechanism throws on arbitrary challenges (property)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...SUPPORTED_MECHANISMS),
      fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 4 }),
      (name, challenges) => {
        const m = createMechanism(
          name,
          { username: 'u', password: 'p', token: 't' },
          { scram: { minIterations: 1 } },
        );
        assert.ok(m);
        m.initialResponse();
        for (const challenge of challenges) {
          const step = m.respond(challenge);
          assert.ok(step.kind === 'respond' || step.reason.length > 0);
        }
        m.verifySuccess(null);
      },
    ),
    { numRuns: 300 },
  );
});
