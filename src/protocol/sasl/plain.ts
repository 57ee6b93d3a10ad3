// PLAIN (RFC 4616): one message, `authzid NUL authcid NUL passwd`. Only safe inside TLS.

import { excerptBytes, utf8 } from './bytes.js';
import { refuseCharacter, requireSecret } from './credentials.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from './types.js';

export function createPlain(credentials: SaslCredentials): SaslMechanism {
  const password = requireSecret('PLAIN', credentials, 'password');
  const authzid = credentials.authzid ?? '';
  refuseCharacter('PLAIN', { 'user name': credentials.username, password, authzid }, '\0', 'a NUL character');
  const message = utf8(`${authzid}\0${credentials.username}\0${password}`);
  let sent = false;
  return {
    name: 'PLAIN',
    initialResponse(): Uint8Array {
      sent = true;
      return message;
    },
    respond(challenge: Uint8Array): SaslStep {
      // Servers without SASL-IR send an empty challenge first; anything after the message is wrong.
      if (!sent && challenge.length === 0) {
        sent = true;
        return { kind: 'respond', response: message };
      }
      return {
        kind: 'abort',
        reason: `PLAIN expects no challenge after its message, got ${excerptBytes(challenge)}`,
      };
    },
    verifySuccess: () => null,
  };
}
