// STARTTLS (IMAP, SMTP) and STLS (POP3) from the palette: the same upgrade for the three, then
// a reminder of what TLS made the client forget.
import type { Protocol } from '../protocol/types.js';
import type { VerbContext, VerbOutcome, VerbSpec } from './types.js';

export function startTlsVerb(options: {
  readonly protocol: Protocol;
  readonly verb: string;
  readonly title: string;
  readonly summary: string;
  readonly states: readonly string[];
  /** What to do after the upgrade, e.g. `ask again with IMAP: Capability`. */
  readonly afterwards: string;
  readonly send: (ctx: VerbContext) => Promise<VerbOutcome>;
}): VerbSpec {
  return {
    id: `${options.protocol}.${options.verb.toLowerCase()}`,
    protocol: options.protocol,
    verb: options.verb,
    title: options.title,
    summary: options.summary,
    states: options.states,
    capability: options.verb,
    args: [],
    run: async (ctx) => {
      const tls = ctx.session.nextTls();
      const outcome = await options.send(ctx);
      if (outcome.result.outcome !== 'ok') return outcome;
      const info = await tls;
      return {
        ...outcome,
        notice: info
          ? `TLS established (${info.protocol}); ${options.afterwards}`
          : 'the TLS handshake failed; the session is closed',
      };
    },
  };
}
