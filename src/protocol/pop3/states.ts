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

/** The table's rows by verb: most replies (NOOP, STAT, RETR) have none, and are done at once. */
const ROWS_BY_VERB = new Map<string, Row[]>();
for (const row of POP3_TRANSITIONS) ROWS_BY_VERB.set(row.verb, [...(ROWS_BY_VERB.get(row.verb) ?? []), row]);

export function pop3Transition(state: Pop3State, verb: string, ok: boolean): Pop3State {
  const rows = ROWS_BY_VERB.get(verb);
  if (rows === undefined) return state;
  for (const row of rows) if (row.ok === ok && row.from.includes(state)) return row.to;
  return state;
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
