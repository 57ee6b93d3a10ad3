// LOGIN (draft-murchison-sasl-login): the server asks for the user name, then the password.
// The prompts are usually "Username:" and "Password:" but servers vary (localised, empty), so the
// answer goes by order, except that a prompt that clearly names the other field wins.

import { decodeUtf8, utf8 } from './bytes.js';
import { requireSecret } from './credentials.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from './types.js';

export function createLogin(credentials: SaslCredentials): SaslMechanism {
  const password = requireSecret('LOGIN', credentials, 'password');
  let answered = 0;
  let sentUser = false;
  let sentPassword = false;
  return {
    name: 'LOGIN',
    initialResponse: () => null,
    respond(challenge: Uint8Array): SaslStep {
      answered += 1;
      if (answered > 2) {
        return {
          kind: 'abort',
          reason: 'LOGIN got a third challenge; it only answers user name and password',
        };
      }
      const prompt = (decodeUtf8(challenge) ?? '').toLowerCase();
      const asksPassword = prompt.includes('pass');
      const asksUser = !asksPassword && prompt.includes('user');
      const sendPassword = asksPassword || (!asksUser && sentUser);
      if (sendPassword && !sentPassword) {
        sentPassword = true;
        return { kind: 'respond', response: utf8(password) };
      }
      if (!sendPassword && !sentUser) {
        sentUser = true;
        return { kind: 'respond', response: utf8(credentials.username) };
      }
      return {
        kind: 'abort',
        reason: `LOGIN was asked for the ${sendPassword ? 'password' : 'user name'} twice`,
      };
    },
    verifySuccess: () => null,
  };
}
