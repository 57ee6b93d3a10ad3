// What the verb layer reads off a session: its codec by protocol, the capabilities the server
// advertised (one upper-case set for all three protocols), and the state the palette keys on.
import { imapCodec as imapOf, pop3Codec as pop3Of, smtpCodec as smtpOf } from '../session/open.js';
import { dotUnstuff } from '../protocol/smtp/data.js';
import type { CommandResult } from '../session/session.js';
import type { VerbSession } from './types.js';

export { imapCodec as imapOf, pop3Codec as pop3Of, smtpCodec as smtpOf } from '../session/open.js';

/**
 * Capabilities as upper-case names: IMAP `CAPABILITY` atoms (`IDLE`, `AUTH=PLAIN`), POP3 CAPA
 * tags (`TOP`, `UIDL`, `STLS`, `SASL`), SMTP EHLO keywords (`STARTTLS`, `CHUNKING`, `AUTH`).
 * Undefined when the server has not told us yet (no CAPABILITY/CAPA/EHLO seen).
 */
export function advertised(session: VerbSession): ReadonlySet<string> | undefined {
  const imap = imapOf(session);
  if (imap) return imap.capabilities.size > 0 ? imap.capabilities : undefined;
  const pop3 = pop3Of(session);
  if (pop3) {
    const c = pop3.capabilities;
    if (!c) return undefined;
    const set = new Set<string>(c.other.keys());
    const flags: Array<[boolean, string]> = [
      [c.top, 'TOP'],
      [c.user, 'USER'],
      [c.sasl.length > 0, 'SASL'],
      [c.respCodes, 'RESP-CODES'],
      [c.authRespCode, 'AUTH-RESP-CODE'],
      [c.pipelining, 'PIPELINING'],
      [c.uidl, 'UIDL'],
      [c.stls, 'STLS'],
      [c.utf8, 'UTF8'],
    ];
    for (const [on, name] of flags) if (on) set.add(name);
    return set;
  }
  const smtp = smtpOf(session);
  if (smtp) {
    const c = smtp.capabilities;
    if (!c) return undefined;
    const set = new Set<string>(c.other.keys());
    const flags: Array<[boolean, string]> = [
      [c.size !== undefined, 'SIZE'],
      [c.pipelining, 'PIPELINING'],
      [c.eightBitMime, '8BITMIME'],
      [c.smtpUtf8, 'SMTPUTF8'],
      [c.startTls, 'STARTTLS'],
      [c.chunking, 'CHUNKING'],
      [c.binaryMime, 'BINARYMIME'],
      [c.dsn, 'DSN'],
      [c.enhancedStatusCodes, 'ENHANCEDSTATUSCODES'],
      [c.requireTls, 'REQUIRETLS'],
      [c.auth.length > 0, 'AUTH'],
    ];
    for (const [on, name] of flags) if (on) set.add(name);
    return set;
  }
  return undefined;
}

/** SASL mechanisms the server advertised, upper case, in its order. */
export function advertisedMechanisms(session: VerbSession): string[] {
  const imap = imapOf(session);
  if (imap)
    return [...imap.capabilities].filter((c) => c.startsWith('AUTH=')).map((c) => c.slice('AUTH='.length));
  const pop3 = pop3Of(session);
  if (pop3) return [...(pop3.capabilities?.sasl ?? [])];
  const smtp = smtpOf(session);
  if (smtp) return [...(smtp.capabilities?.auth ?? [])];
  return [];
}

/** True while an IMAP IDLE is in progress (only DONE may be sent). */
export function isIdling(session: VerbSession): boolean {
  const imap = imapOf(session);
  return imap !== undefined && imap.pending.some((c) => c.verb === 'IDLE');
}

/**
 * The state the palette keys on: the codec state, `idle` during IMAP IDLE, or the session status
 * while it is not open (no verb is valid then).
 */
export function verbState(session: VerbSession): string {
  if (session.status !== 'open') return session.status;
  return isIdling(session) ? 'idle' : session.state;
}

/** The whole message a FETCH (BODY[] / RFC822) or a RETR/TOP brought, from the command's events. */
export function messageFrom(session: VerbSession, result: CommandResult): Uint8Array | undefined {
  for (const event of result.events) {
    const e = event as {
      type: string;
      response?: {
        kind: string;
        data?: { sections?: ReadonlyArray<{ kind: string; section: string; value: unknown }> };
      };
      data?: { kind: string; bytes?: Uint8Array; payload?: { payload: number } };
    };
    if (e.type === 'untagged' && e.response?.kind === 'fetch') {
      for (const s of e.response.data?.sections ?? []) {
        const whole = (s.kind === 'BODY' || s.kind === 'BINARY') && s.section === '';
        if (!whole && s.kind !== 'RFC822') continue;
        const bytes = payloadBytes(session, s.value);
        if (bytes) return bytes;
      }
    }
    if (e.type === 'response' && e.data?.kind === 'message') {
      if (e.data.bytes) return e.data.bytes;
      // Streamed POP3 bodies keep the wire bytes (dot-stuffed) so the transcript is exact.
      if (e.data.payload) return dotUnstuff(session.transcript.payloads.read(e.data.payload.payload));
    }
  }
  return undefined;
}

function payloadBytes(session: VerbSession, value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { payload?: unknown }).payload === 'number'
  ) {
    return session.transcript.payloads.read((value as { payload: number }).payload);
  }
  return undefined;
}
