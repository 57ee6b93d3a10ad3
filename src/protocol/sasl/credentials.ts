// Checks that the credentials a mechanism needs are present and usable, before anything is sent.

import type { SaslCredentials } from './types.js';

/** Thrown by `createMechanism` (never by a mechanism's methods) when credentials cannot work. */
export class SaslCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslCredentialError';
  }
}

export type SecretKind = 'password' | 'token';

/** Returns the secret the mechanism needs, or throws a SaslCredentialError naming what is missing. */
export function requireSecret(mechanism: string, credentials: SaslCredentials, kind: SecretKind): string {
  const secret = kind === 'password' ? credentials.password : credentials.token;
  if (secret === undefined || secret === '') {
    throw new SaslCredentialError(`${mechanism} needs a ${kind}, and none was given`);
  }
  return secret;
}

/** Rejects characters a mechanism's framing cannot carry (e.g. NUL in PLAIN, SOH in XOAUTH2). */
export function refuseCharacter(
  mechanism: string,
  fields: Readonly<Record<string, string | undefined>>,
  character: string,
  characterName: string,
): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value?.includes(character)) {
      throw new SaslCredentialError(`${mechanism} cannot send a ${field} that contains ${characterName}`);
    }
  }
}
