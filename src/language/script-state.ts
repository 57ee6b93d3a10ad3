// The protocol state a script line runs in, estimated from the `C:` lines above it in the same
// `@connect` block (assuming each command succeeds), so completion offers verbs valid there.
import type { KnowledgeProtocol } from '../knowledge/index.js';
import { clientVerb, splitLine } from './line.js';

export const INITIAL_STATE: Readonly<Record<KnowledgeProtocol, string>> = {
  imap: 'not-authenticated',
  pop3: 'authorization',
  smtp: 'greeted',
};

/** The state after `verb` succeeds in `state`, following the codecs' state tables. */
export function nextState(protocol: KnowledgeProtocol, state: string, verb: string): string {
  switch (protocol) {
    case 'imap':
      if (verb === 'LOGIN' || verb === 'AUTHENTICATE') return 'authenticated';
      if (verb === 'SELECT' || verb === 'EXAMINE') return 'selected';
      if (verb === 'CLOSE' || verb === 'UNSELECT') return 'authenticated';
      if (verb === 'LOGOUT') return 'logout';
      return state;
    case 'pop3':
      if (verb === 'PASS' || verb === 'APOP' || verb === 'AUTH') return 'transaction';
      if (verb === 'QUIT') return state === 'transaction' ? 'update' : 'closed';
      return state;
    case 'smtp':
      if (verb === 'EHLO' || verb === 'HELO' || verb === 'RSET' || verb === 'DATA' || verb === 'BDAT')
        return 'ready';
      if (verb === 'STARTTLS') return 'greeted';
      if (verb === 'MAIL') return 'mail';
      if (verb === 'RCPT') return 'rcpt';
      if (verb === 'QUIT') return 'quit';
      return state;
  }
}

/** The estimated state at 0-based `lineIndex` (before that line runs). */
export function scriptStateAt(
  lines: readonly string[],
  lineIndex: number,
  protocol: KnowledgeProtocol,
): string {
  let start = 0;
  for (let i = Math.min(lineIndex, lines.length) - 1; i >= 0; i--) {
    if (/^\s*@connect\b/.test(lines[i] ?? '')) {
      start = i + 1;
      break;
    }
  }
  let state = INITIAL_STATE[protocol];
  let inBlock = false;
  for (let i = start; i < lineIndex; i++) {
    const raw = lines[i] ?? '';
    if (inBlock) {
      if (raw.trimEnd() === '>>>') inBlock = false;
      continue;
    }
    if (raw.trim().startsWith('<<<') && !raw.includes('@file')) {
      inBlock = true;
      continue;
    }
    const line = splitLine(raw.trimStart());
    if (line?.dir !== 'C') continue;
    const verb = clientVerb(protocol, line.body)?.verb;
    if (verb) state = nextState(protocol, state, verb);
  }
  return state;
}
