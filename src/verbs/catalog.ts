// Every palette verb, and the rules that tie them to the manifest: command ids, categories and
// the `when` clauses that show a verb only in the states where it is valid.
import type { Protocol } from '../protocol/types.js';
import { VERB_STATE_KEY } from './context-key.js';
import { IMAP_VERBS } from './imap.js';
import { POP3_VERBS } from './pop3.js';
import { advertised, verbState } from './session-view.js';
import { SMTP_VERBS } from './smtp.js';
import type { VerbSession, VerbSpec } from './types.js';

export const VERBS: readonly VerbSpec[] = [...IMAP_VERBS, ...POP3_VERBS, ...SMTP_VERBS];

const BY_ID = new Map(VERBS.map((v) => [v.id, v]));

export function verbById(id: string): VerbSpec | undefined {
  return BY_ID.get(id);
}

export const CATEGORY: Readonly<Record<Protocol, string>> = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' };

export function commandId(spec: VerbSpec): string {
  return `mailwire.${spec.id}`;
}

export { VERB_STATE_KEY };

/** `mailwire.activeVerbState =~ /^imap:(authenticated|selected)$/` */
export function whenClause(spec: VerbSpec): string {
  const states = spec.states.map((s) => s.replace(/[^a-z-]/g, '')).join('|');
  return `${VERB_STATE_KEY} =~ /^${spec.protocol}:(${states})$/`;
}

/** The value of VERB_STATE_KEY for a session. */
export function verbStateKey(session: VerbSession): string {
  return `${session.protocol}:${verbState(session)}`;
}

export type Availability =
  { readonly ok: true; readonly unadvertised?: string } | { readonly ok: false; readonly reason: string };

/**
 * Whether the verb may run now. A verb in the wrong state is refused (the palette hides it; this
 * covers calls from the state view or keybindings); one whose capability the server did not
 * advertise is allowed, with the reason to show, because testing a server means breaking its
 * rules sometimes.
 */
export function availability(spec: VerbSpec, session: VerbSession): Availability {
  if (session.protocol !== spec.protocol) {
    return {
      ok: false,
      reason: `${CATEGORY[spec.protocol]}: ${spec.title} is for ${CATEGORY[spec.protocol]} sessions, not ${CATEGORY[session.protocol]}`,
    };
  }
  if (session.status !== 'open') {
    return {
      ok: false,
      reason:
        session.status === 'closed'
          ? 'the session is closed; connect again'
          : `wait until the session is open (it is ${session.status})`,
    };
  }
  const state = verbState(session);
  if (!spec.states.includes(state)) {
    return {
      ok: false,
      reason: `${spec.verb} is valid only in the ${spec.states.join(' or ')} state; the session is ${state}`,
    };
  }
  if (spec.capability) {
    const caps = advertised(session);
    if (caps && !caps.has(spec.capability)) {
      return {
        ok: true,
        unadvertised: `the server did not advertise ${spec.capability}; ${spec.verb} is sent anyway`,
      };
    }
  }
  return { ok: true };
}
