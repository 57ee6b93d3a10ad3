// Bearer-token mechanisms: XOAUTH2 (Google's format) and OAUTHBEARER (RFC 7628).
// On failure both servers send a JSON error as a challenge; the client answers with the
// mechanism's dummy response and the server then sends the final failure. The JSON is kept
// (`serverError`) so the UI can show why the token was refused.

import { decodeUtf8, excerpt, excerptBytes, utf8 } from './bytes.js';
import { refuseCharacter, requireSecret } from './credentials.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from './types.js';

export interface OAuthMechanism extends SaslMechanism {
  /** The server's error challenge, summarised (status, scope), once one arrived. */
  readonly serverError: string | undefined;
}

/** Summarises `{"status":"401","schemes":"bearer","scope":"..."}`; never echoes unbounded text. */
function describeOAuthError(challenge: Uint8Array): string {
  const text = decodeUtf8(challenge);
  if (text === undefined) return `undecodable error challenge ${excerptBytes(challenge)}`;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') {
      const fields = parsed as Record<string, unknown>;
      const parts = ['status', 'scope', 'schemes']
        .filter((key) => typeof fields[key] === 'string')
        .map((key) => `${key} ${excerpt(String(fields[key]), 100)}`);
      if (parts.length > 0) return `server refused the token (${parts.join(', ')})`;
    }
  } catch {
    // Not JSON: fall through to the raw excerpt.
  }
  return `server refused the token: ${excerpt(text)}`;
}

function bearerMechanism(name: string, message: Uint8Array, errorAnswer: Uint8Array): OAuthMechanism {
  let serverError: string | undefined;
  let sent = false;
  return {
    name,
    get serverError() {
      return serverError;
    },
    initialResponse(): Uint8Array {
      sent = true;
      return message;
    },
    respond(challenge: Uint8Array): SaslStep {
      if (challenge.length === 0 && !sent) {
        sent = true;
        // A server without SASL-IR asks for the initial response with an empty challenge.
        return { kind: 'respond', response: message };
      }
      if (serverError !== undefined) {
        return {
          kind: 'abort',
          reason: `${name}: unexpected challenge after the error ${excerptBytes(challenge)}`,
        };
      }
      serverError = describeOAuthError(challenge);
      return { kind: 'respond', response: errorAnswer };
    },
    verifySuccess: () => null,
  };
}

export function createXOAuth2(credentials: SaslCredentials): OAuthMechanism {
  const token = requireSecret('XOAUTH2', credentials, 'token');
  refuseCharacter('XOAUTH2', { 'user name': credentials.username, token }, '\x01', 'a ^A (0x01) character');
  const message = utf8(`user=${credentials.username}\x01auth=Bearer ${token}\x01\x01`);
  return bearerMechanism('XOAUTH2', message, new Uint8Array(0));
}

/** GS2 saslname escaping (RFC 5801): `=` and `,` cannot appear bare. */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export function createOAuthBearer(credentials: SaslCredentials): OAuthMechanism {
  const token = requireSecret('OAUTHBEARER', credentials, 'token');
  const authzid = credentials.authzid ?? credentials.username;
  refuseCharacter(
    'OAUTHBEARER',
    { 'user name': authzid, token, host: credentials.host },
    '\x01',
    'a ^A (0x01) character',
  );
  const fields = [
    credentials.host !== undefined ? `host=${credentials.host}` : undefined,
    credentials.port !== undefined ? `port=${credentials.port}` : undefined,
    `auth=Bearer ${token}`,
  ].filter((field): field is string => field !== undefined);
  const gs2 = authzid === '' ? 'n,,' : `n,a=${escapeSaslName(authzid)},`;
  const message = utf8(`${gs2}\x01${fields.join('\x01')}\x01\x01`);
  // RFC 7628 section 3.2.3: the client answers an error challenge with a single %x01.
  return bearerMechanism('OAUTHBEARER', message, new Uint8Array([1]));
}
