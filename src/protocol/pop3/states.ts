// The POP3 client state table (RFC 1939 sections 3-6) and which verbs each state accepts.

export type Pop3State =
  /** Connected, waiting for the greeting. */
  | 'connecting'
  | 'authorization'
  | 'transaction'
  /** QUIT was accepted in the transaction state: the server deletes and closes. */
  | 'update'
  | 'closed';

interface Row {
  readonly verb: string;
  readonly ok: boolean;
  readonly from: readonly Pop3State[];
  readonly to: Pop3State;
}

export const POP3_TRANSITIONS: readonly Row[] = [
  { verb: '(greeting)', ok: true, from: ['connecting'], to: 'authorization' },
  { verb: '(greeting)', ok: false, from: ['connecting'], to: 'closed' },
  { verb: 'PASS', ok: true, from: ['authorization'], to: 'transaction' },
  { verb: 'APOP', ok: true, from: ['authorization'], to: 'transaction' },
  { verb: 'AUTH', ok: true, from: ['authorization'], to: 'transaction' },
  // QUIT in AUTHORIZATION closes without an UPDATE state (section 6).
  { verb: 'QUIT', ok: true, from: ['authorization'], to: 'closed' },
  // In TRANSACTION the server enters UPDATE even when deleting fails (-ERR, section 6).
  { verb: 'QUIT', ok: true, from: ['transaction'], to: 'update' },
  { verb: 'QUIT', ok: false, from: ['transaction'], to: 'update' },
];

export function pop3Transition(state: Pop3State, verb: string, ok: boolean): Pop3State {
  const row = POP3_TRANSITIONS.find((r) => r.verb === verb && r.ok === ok && r.from.includes(state));
  return row?.to ?? state;
}

const VALID: Readonly<Record<Pop3State, ReadonlySet<string>>> = {
  connecting: new Set(),
  authorization: new Set(['USER', 'PASS', 'APOP', 'AUTH', 'CAPA', 'STLS', 'UTF8', 'QUIT']),
  transaction: new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL', 'CAPA', 'QUIT']),
  update: new Set(),
  closed: new Set(),
};

/** Whether RFC 1939/2449/2595/5034 allow `verb` in `state` (for the UI; raw lines are never blocked). */
export function isValidIn(verb: string, state: Pop3State): boolean {
  return VALID[state].has(verb.toUpperCase());
}
