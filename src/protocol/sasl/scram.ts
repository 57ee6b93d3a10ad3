// SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding (GS2 flag `n`).
//
// Exchange: client-first -> server-first (nonce, salt, iterations) -> client-final (proof)
// -> server-final (`v=` server signature, or `e=` error). The server signature is checked: a
// server that cannot prove it knows the password (missing or wrong `v=`) fails the login, even
// when it says OK.
//
// Iteration count policy: fewer than LIMITS.scramMinIterations (4096, RFC 7677's floor) is
// refused, because a man in the middle could otherwise ask for a low count and brute-force the
// captured proof cheaply; `minIterations` lowers it for test servers. More than
// LIMITS.scramMaxIterations is refused so a hostile server cannot freeze the client (PBKDF2 runs
// synchronously).

import { Buffer } from 'node:buffer';
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { LIMITS } from '../limits.js';
import { decodeBase64Strict, decodeUtf8, excerpt, excerptBytes, utf8 } from './bytes.js';
import { SaslCredentialError, requireSecret } from './credentials.js';
import { escapeSaslName } from './oauth.js';
import { saslPrep } from './saslprep.js';
import type { SaslCredentials, SaslMechanism, SaslStep } from './types.js';

export type ScramHash = 'sha1' | 'sha256';

export interface ScramOptions {
  /** Client nonce (printable ASCII without `,`). Random by default; fixed only for test vectors. */
  readonly nonce?: string;
  /** Lowest iteration count accepted. Default LIMITS.scramMinIterations. */
  readonly minIterations?: number;
}

const HASH_INFO: Record<ScramHash, { name: string; length: number }> = {
  sha1: { name: 'SCRAM-SHA-1', length: 20 },
  sha256: { name: 'SCRAM-SHA-256', length: 32 },
};

/** RFC 5802 `printable` without `,`. */
const NONCE_PATTERN = /^[\x21-\x2B\x2D-\x7E]+$/;

type Phase = 'client-first' | 'server-first' | 'server-final' | 'done' | 'failed';

/** Splits `a=1,b=2` into ordered attribute/value pairs; undefined when malformed. */
function parseAttributes(text: string): Array<readonly [string, string]> | undefined {
  const pairs: Array<readonly [string, string]> = [];
  for (const part of text.split(',')) {
    const match = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!match) return undefined;
    pairs.push([match[1] ?? '', match[2] ?? '']);
  }
  return pairs;
}

export function createScram(
  hash: ScramHash,
  credentials: SaslCredentials,
  options: ScramOptions = {},
): SaslMechanism {
  const { name, length } = HASH_INFO[hash];
  const rawPassword = requireSecret(name, credentials, 'password');
  const password = saslPrep(rawPassword, 'password');
  if (!password.ok) throw new SaslCredentialError(`${name}: ${password.reason}`);
  const username = saslPrep(credentials.username, 'user name');
  if (!username.ok) throw new SaslCredentialError(`${name}: ${username.reason}`);
  const clientNonce = options.nonce ?? randomBytes(24).toString('base64');
  if (!NONCE_PATTERN.test(clientNonce)) {
    throw new SaslCredentialError(`${name}: the client nonce must be printable ASCII without ","`);
  }
  const minIterations = options.minIterations ?? LIMITS.scramMinIterations;

  const gs2Header =
    credentials.authzid !== undefined && credentials.authzid !== ''
      ? `n,a=${escapeSaslName(credentials.authzid)},`
      : 'n,,';
  const clientFirstBare = `n=${escapeSaslName(username.value)},r=${clientNonce}`;
  let phase: Phase = 'client-first';
  let expectedServerSignature: Buffer | undefined;

  const fail = (reason: string): SaslStep => {
    phase = 'failed';
    return { kind: 'abort', reason: `${name}: ${reason}` };
  };

  const hmac = (key: Uint8Array, text: string): Buffer => createHmac(hash, key).update(text, 'utf8').digest();

  function answerServerFirst(challenge: Uint8Array): SaslStep {
    const text = decodeUtf8(challenge);
    if (text === undefined) return fail(`server-first message is not UTF-8 (${excerptBytes(challenge)})`);
    const pairs = parseAttributes(text);
    if (pairs === undefined) return fail(`server-first message is malformed: ${excerpt(text)}`);
    const first = pairs[0];
    if (first?.[0] === 'm') return fail('server requires an unsupported mandatory extension (m=)');
    if (first?.[0] === 'e') return fail(`server reported an error: ${excerpt(first[1])}`);
    const [r, s, i] = [pairs[0], pairs[1], pairs[2]];
    if (r?.[0] !== 'r' || s?.[0] !== 's' || i?.[0] !== 'i') {
      return fail(`server-first message must start with r=, s=, i= (got ${excerpt(text)})`);
    }
    const nonce = r[1];
    if (!nonce.startsWith(clientNonce)) return fail('server nonce does not start with the client nonce');
    if (nonce.length === clientNonce.length) return fail('server did not add its own part to the nonce');
    if (!NONCE_PATTERN.test(nonce)) return fail('server nonce contains characters SCRAM does not allow');
    const salt = decodeBase64Strict(s[1]);
    if (salt === undefined) return fail(`salt is not valid base64: ${excerpt(s[1])}`);
    if (salt.length === 0) return fail('salt is empty');
    if (!/^[1-9][0-9]{0,9}$/.test(i[1]))
      return fail(`iteration count is not a positive number: ${excerpt(i[1])}`);
    const iterations = Number(i[1]);
    if (iterations < minIterations) {
      return fail(
        `server asked for only ${iterations} iterations (at least ${minIterations} required; a low count makes the password easy to guess from a captured exchange)`,
      );
    }
    if (iterations > LIMITS.scramMaxIterations) {
      return fail(
        `server asked for ${iterations} iterations, more than the limit of ${LIMITS.scramMaxIterations} (limit scramMaxIterations)`,
      );
    }

    const saltedPassword = pbkdf2Sync(password.ok ? password.value : '', salt, iterations, length, hash);
    const clientKey = hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(hash).update(clientKey).digest();
    const clientFinalWithoutProof = `c=${Buffer.from(gs2Header, 'utf8').toString('base64')},r=${nonce}`;
    const authMessage = `${clientFirstBare},${text},${clientFinalWithoutProof}`;
    const clientSignature = hmac(storedKey, authMessage);
    const proof = Buffer.alloc(length);
    for (let k = 0; k < length; k++) proof[k] = (clientKey[k] ?? 0) ^ (clientSignature[k] ?? 0);
    expectedServerSignature = hmac(hmac(saltedPassword, 'Server Key'), authMessage);
    phase = 'server-final';
    return { kind: 'respond', response: utf8(`${clientFinalWithoutProof},p=${proof.toString('base64')}`) };
  }

  /** Checks a server-final message; returns an error message, or null when the signature is right. */
  function checkServerFinal(bytes: Uint8Array): string | null {
    const text = decodeUtf8(bytes);
    if (text === undefined) return `server-final message is not UTF-8 (${excerptBytes(bytes)})`;
    const pairs = parseAttributes(text);
    const first = pairs?.[0];
    if (first?.[0] === 'e') return `server reported an error: ${excerpt(first[1])}`;
    if (first?.[0] !== 'v') return `server-final message has no server signature (v=): ${excerpt(text)}`;
    const signature = decodeBase64Strict(first[1]);
    if (signature === undefined) return `server signature is not valid base64: ${excerpt(first[1])}`;
    if (
      expectedServerSignature === undefined ||
      signature.length !== expectedServerSignature.length ||
      !timingSafeEqual(signature, expectedServerSignature)
    ) {
      return 'server signature does not verify: the server does not know the password (possible impostor)';
    }
    return null;
  }

  return {
    name,
    initialResponse(): Uint8Array {
      phase = 'server-first';
      return utf8(`${gs2Header}${clientFirstBare}`);
    },
    respond(challenge: Uint8Array): SaslStep {
      try {
        switch (phase) {
          case 'client-first':
            // No SASL-IR: the server asks for the client-first message with an empty challenge.
            if (challenge.length !== 0)
              return fail(`expected an empty first challenge, got ${excerptBytes(challenge)}`);
            phase = 'server-first';
            return { kind: 'respond', response: utf8(`${gs2Header}${clientFirstBare}`) };
          case 'server-first':
            return answerServerFirst(challenge);
          case 'server-final': {
            const problem = checkServerFinal(challenge);
            if (problem !== null) return fail(problem);
            phase = 'done';
            return { kind: 'respond', response: new Uint8Array(0) };
          }
          case 'done':
            return fail('unexpected challenge after the server signature was verified');
          case 'failed':
            return fail('challenge after the exchange already failed');
        }
      } catch (error) {
        // Defensive: crypto errors must come back as an abort, never escape into the codec.
        return fail(`internal error: ${error instanceof Error ? error.message : 'unknown'}`);
      }
    },
    verifySuccess(additionalData: Uint8Array | null): string | null {
      if (phase === 'done') {
        if (additionalData === null || additionalData.length === 0) return null;
        const problem = checkServerFinal(additionalData);
        return problem === null ? null : `${name}: ${problem}`;
      }
      if (phase !== 'server-final') {
        return `${name}: server reported success before the exchange finished (possible impostor)`;
      }
      if (additionalData === null || additionalData.length === 0) {
        return `${name}: server reported success without a server signature, so it never proved it knows the password`;
      }
      const problem = checkServerFinal(additionalData);
      if (problem !== null) return `${name}: ${problem}`;
      phase = 'done';
      return null;
    },
  };
}
