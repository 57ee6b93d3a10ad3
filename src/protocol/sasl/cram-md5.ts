// CRAM-MD5 (RFC 2195): the answer is `user SP hex(HMAC-MD5(password, challenge))`.

import { createHmac } from 'node:crypto';
import { utf8 } from './bytes.js';
import { requireSecret } from './credentials.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from './types.js';

export function createCramMd5(credentials: SaslCredentials): SaslMechanism {
  const password = requireSecret('CRAM-MD5', credentials, 'password');
  let answered = false;
  return {
    name: 'CRAM-MD5',
    initialResponse: () => null,
    respond(challenge: Uint8Array): SaslStep {
      if (answered)
        return { kind: 'abort', reason: 'CRAM-MD5 got a second challenge; it has only one answer' };
      if (challenge.length === 0) return { kind: 'abort', reason: 'CRAM-MD5 challenge is empty' };
      answered = true;
      const digest = createHmac('md5', password).update(challenge).digest('hex');
      return { kind: 'respond', response: utf8(`${credentials.username} ${digest}`) };
    },
    verifySuccess: () => null,
  };
}
