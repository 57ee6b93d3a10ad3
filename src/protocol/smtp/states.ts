// The SMTP client state table (RFC 5321 section 4.1.4 and 3.3, RFC 3207, RFC 3030).
// A reply to a command moves the state; rows are tried in order, the first match wins.

export type SmtpState =
  /** Connected, waiting for the greeting. */
  | 'connecting'
  /** The greeting was a refusal (554 or another failure): only QUIT makes sense. */
  | 'greeting-refused'
  /** Greeted (or TLS just established): EHLO/HELO needed. */
  | 'greeted'
  /** After EHLO/HELO, no mail transaction. */
  | 'ready'
  /** MAIL FROM accepted. */
  | 'mail'
  /** At least one RCPT TO accepted. */
  | 'rcpt'
  /** 354 seen: the body is being sent. */
  | 'data'
  /** STARTTLS accepted: the transport must upgrade before anything else is sent. */
  | 'tls-handshake'
  /** QUIT accepted (221). */
  | 'quit'
  /** The connection closed (or the server said 421). */
  | 'closed';

type Outcome = 'positive' | 'intermediate' | 'negative';

interface Row {
  /** Table verb: a command verb, `(greeting)`, `BDAT LAST`, or `*` for any. */
  readonly verb: string;
  /** A specific reply code, or an outcome class. */
  readonly on: number | Outcome;
  /** States the row applies in; all when omitted. */
  readonly from?: readonly SmtpState[];
  readonly to: SmtpState;
}

const TRANSACTION: readonly SmtpState[] = ['ready', 'mail', 'rcpt', 'data'];

export const SMTP_TRANSITIONS: readonly Row[] = [
  { verb: '*', on: 421, to: 'closed' },
  { verb: '(greeting)', on: 'positive', to: 'greeted' },
  { verb: '(greeting)', on: 'negative', to: 'greeting-refused' },
  { verb: 'EHLO', on: 'positive', to: 'ready' },
  { verb: 'HELO', on: 'positive', to: 'ready' },
  { verb: 'STARTTLS', on: 220, to: 'tls-handshake' },
  { verb: 'MAIL', on: 'positive', from: ['ready'], to: 'mail' },
  { verb: 'RCPT', on: 'positive', from: ['mail', 'rcpt'], to: 'rcpt' },
  { verb: 'DATA', on: 354, to: 'data' },
  // The reply after the body ends the transaction either way.
  { verb: 'DATA', on: 'positive', from: ['data'], to: 'ready' },
  { verb: 'DATA', on: 'negative', from: ['data'], to: 'ready' },
  { verb: 'BDAT LAST', on: 'positive', to: 'ready' },
  { verb: 'RSET', on: 'positive', from: TRANSACTION, to: 'ready' },
  { verb: 'QUIT', on: 221, to: 'quit' },
];

function outcome(code: number): Outcome {
  return code < 300 ? 'positive' : code < 400 ? 'intermediate' : 'negative';
}

/** The state after `verb` got reply `code` in `state` (unchanged when no row matches). */
export function smtpTransition(state: SmtpState, verb: string, code: number): SmtpState {
  for (const row of SMTP_TRANSITIONS) {
    if (row.verb !== '*' && row.verb !== verb) continue;
    if (typeof row.on === 'number' ? row.on !== code : row.on !== outcome(code)) continue;
    if (row.from !== undefined && !row.from.includes(state)) continue;
    return row.to;
  }
  return state;
}
