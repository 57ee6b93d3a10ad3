// The IMAP connection state table (RFC 9051 section 3): what each server outcome does to the state.

export type ImapState = 'connecting' | 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export type ImapTrigger =
  | 'greeting-ok'
  | 'greeting-preauth'
  | 'bye'
  | 'login-ok'
  | 'select-ok'
  | 'select-failed'
  | 'close-ok'
  | 'logout-ok'
  | 'closed';

/** Missing entries leave the state unchanged. */
const TABLE: Readonly<Record<ImapState, Partial<Record<ImapTrigger, ImapState>>>> = {
  connecting: {
    'greeting-ok': 'not-authenticated',
    'greeting-preauth': 'authenticated',
    bye: 'logout',
    closed: 'logout',
  },
  'not-authenticated': {
    'login-ok': 'authenticated',
    bye: 'logout',
    'logout-ok': 'logout',
    closed: 'logout',
  },
  authenticated: { 'select-ok': 'selected', bye: 'logout', 'logout-ok': 'logout', closed: 'logout' },
  selected: {
    'select-ok': 'selected',
    // RFC 9051 6.3.2: a failed SELECT/EXAMINE leaves no mailbox selected.
    'select-failed': 'authenticated',
    'close-ok': 'authenticated',
    bye: 'logout',
    'logout-ok': 'logout',
    closed: 'logout',
  },
  logout: {},
};

export function transition(state: ImapState, trigger: ImapTrigger): ImapState {
  return TABLE[state][trigger] ?? state;
}

/** What a tagged OK (or NO/BAD) for a verb means for the state table. */
export function triggerFor(verb: string, ok: boolean): ImapTrigger | null {
  switch (verb) {
    case 'LOGIN':
    case 'AUTHENTICATE':
      return ok ? 'login-ok' : null;
    case 'SELECT':
    case 'EXAMINE':
      return ok ? 'select-ok' : 'select-failed';
    case 'CLOSE':
    case 'UNSELECT':
      return ok ? 'close-ok' : null;
    case 'LOGOUT':
      return ok ? 'logout-ok' : null;
    default:
      return null;
  }
}
