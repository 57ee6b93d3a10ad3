// SASL arguments and the exchange shared by IMAP AUTHENTICATE, POP3 AUTH and SMTP AUTH.
import { createMechanism, SUPPORTED_MECHANISMS } from '../protocol/sasl/index.js';
import type { SaslMechanism } from '../protocol/sasl/types.js';
import { word } from './args.js';
import { advertisedMechanisms } from './session-view.js';
import type { VerbArg, VerbContext, VerbOutcome } from './types.js';

export const userArg: VerbArg = {
  name: 'user',
  prompt: 'User name',
  kind: 'text',
  defaultValue: (h) => h.user,
  validate: (v) =>
    v.length === 0 ? 'must not be empty' : /[\r\n\0]/.test(v) ? 'no line breaks or NUL' : undefined,
};

export function secretArg(prompt: string): VerbArg {
  return { name: 'secret', prompt, kind: 'secret' };
}

const TOKEN_MECHANISMS = new Set(['XOAUTH2', 'OAUTHBEARER']);

/** Mechanisms Mailwire implements, those the server advertised first. */
export const mechanismArg: VerbArg = {
  name: 'mechanism',
  prompt: 'SASL mechanism',
  kind: 'choice',
  choices: (h) => {
    const offered = SUPPORTED_MECHANISMS.filter((m) => h.saslMechanisms.includes(m));
    return [...offered, ...SUPPORTED_MECHANISMS.filter((m) => !offered.includes(m))];
  },
  defaultValue: (h) =>
    SUPPORTED_MECHANISMS.find((m) => h.saslMechanisms.includes(m) && !TOKEN_MECHANISMS.has(m)) ?? 'PLAIN',
  validate: (v) =>
    word(v) ??
    ((SUPPORTED_MECHANISMS as readonly string[]).includes(v.toUpperCase())
      ? undefined
      : `Mailwire implements ${SUPPORTED_MECHANISMS.join(', ')}`),
};

/**
 * Builds the mechanism from the arguments (the secret is a token for the OAuth mechanisms) and
 * runs it; a mechanism the server did not advertise is still tried, with a notice.
 */
export async function authenticateWith(
  ctx: VerbContext,
  send: (mechanism: SaslMechanism) => Promise<VerbOutcome>,
): Promise<VerbOutcome> {
  const name = (ctx.args.mechanism ?? '').toUpperCase();
  const secret = ctx.args.secret ?? '';
  ctx.session.addSecrets([secret]);
  let mechanism: SaslMechanism | undefined;
  try {
    mechanism = createMechanism(name, {
      username: ctx.args.user ?? '',
      ...(TOKEN_MECHANISMS.has(name) ? { token: secret } : { password: secret }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      result: { command: undefined, outcome: 'not-sent', text: message, events: [], latencyMs: undefined },
    };
  }
  if (!mechanism) {
    return {
      result: {
        command: undefined,
        outcome: 'not-sent',
        text: `Mailwire does not implement the SASL mechanism ${name}`,
        events: [],
        latencyMs: undefined,
      },
    };
  }
  const outcome = await send(mechanism);
  const offered = advertisedMechanisms(ctx.session);
  return offered.length > 0 && !offered.includes(name)
    ? {
        ...outcome,
        notice: `the server did not advertise ${name} (it offers ${offered.join(', ')}); it was tried anyway`,
      }
    : outcome;
}
