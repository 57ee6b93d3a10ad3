// The SASL mechanisms Mailwire speaks, and the factory the protocol codecs use.

import { createCramMd5 } from './cram-md5.js';
import { createLogin } from './login.js';
import { createOAuthBearer, createXOAuth2 } from './oauth.js';
import { createPlain } from './plain.js';
import { createScram, type ScramOptions } from './scram.js';
import type { SaslCredentials, SaslMechanism } from './types.js';

export { SaslCredentialError } from './credentials.js';
export type { OAuthMechanism } from './oauth.js';
export type { ScramOptions, ScramHash } from './scram.js';
export { saslPrep } from './saslprep.js';
export { createCramMd5, createLogin, createOAuthBearer, createPlain, createScram, createXOAuth2 };

/** Strongest first: a client picking from a server's list should prefer earlier entries. */
export const SUPPORTED_MECHANISMS = [
  'SCRAM-SHA-256',
  'SCRAM-SHA-1',
  'OAUTHBEARER',
  'XOAUTH2',
  'CRAM-MD5',
  'PLAIN',
  'LOGIN',
] as const;

export type SupportedMechanism = (typeof SUPPORTED_MECHANISMS)[number];

export interface MechanismOptions {
  /** Options for SCRAM-SHA-1 and SCRAM-SHA-256 (fixed nonce for test vectors, iteration floor). */
  readonly scram?: ScramOptions;
}

/**
 * A fresh mechanism for one exchange, or undefined for a name Mailwire does not implement
 * (case-insensitive). Throws SaslCredentialError when the credentials cannot work (missing
 * password or token, a character the mechanism cannot carry, a password SASLprep refuses):
 * nothing has been sent yet at that point.
 */
export function createMechanism(
  name: string,
  credentials: SaslCredentials,
  options: MechanismOptions = {},
): SaslMechanism | undefined {
  switch (name.toUpperCase()) {
    case 'PLAIN':
      return createPlain(credentials);
    case 'LOGIN':
      return createLogin(credentials);
    case 'CRAM-MD5':
      return createCramMd5(credentials);
    case 'XOAUTH2':
      return createXOAuth2(credentials);
    case 'OAUTHBEARER':
      return createOAuthBearer(credentials);
    case 'SCRAM-SHA-1':
      return createScram('sha1', credentials, options.scram);
    case 'SCRAM-SHA-256':
      return createScram('sha256', credentials, options.scram);
    default:
      return undefined;
  }
}
