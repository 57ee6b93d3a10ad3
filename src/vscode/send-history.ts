// The Send Line history: the last lines typed per protocol, without secrets. A line that logs in
// is kept only up to the secret (`a1 LOGIN alice `) so recalling it asks for the rest; a bare
// single token that is not a known command may be a SASL response (base64 credentials) and is
// never stored.

export const HISTORY_MAX = 50;
/** Longer lines are message text, not commands worth recalling. */
const HISTORY_MAX_LINE = 1000;

/** Commands that are legitimately sent without arguments (SMTP, POP3, IMAP's DONE). */
const BARE_COMMANDS = new Set([
  'DATA',
  'RSET',
  'NOOP',
  'QUIT',
  'STARTTLS',
  'HELP',
  'EHLO',
  'HELO',
  'STAT',
  'LIST',
  'UIDL',
  'STLS',
  'CAPA',
  'UTF8',
  'AUTH',
  'DONE',
  'TURN',
  'LAST',
  'PASS',
]);

/** The line with any secret cut off, or undefined when nothing of it may be stored. */
export function sanitizeForHistory(line: string): string | undefined {
  if (line.trim() === '' || line.length > HISTORY_MAX_LINE) return undefined;
  const tokens = line.trim().split(/\s+/);
  if (tokens.length === 1) return BARE_COMMANDS.has((tokens[0] ?? '').toUpperCase()) ? line : undefined;
  // POP3 `PASS secret`, `APOP user digest`; SMTP/POP3 `AUTH mech initial-response`.
  const verbMatch = /^(\s*)(PASS|APOP|AUTH)(\s+|$)(.*)$/i.exec(line);
  if (verbMatch) {
    const [, lead = '', verb = '', space = '', rest = ''] = verbMatch;
    const v = verb.toUpperCase();
    if (v === 'PASS') return `${lead}${verb} `;
    if (v === 'APOP') return `${lead}${verb}${space}${firstArg(rest)} `;
    return `${lead}${verb}${space}${firstArg(rest)}`.trimEnd();
  }
  // IMAP (checked after, so `AUTH LOGIN` is not read as tag `AUTH`): `tag LOGIN user password`, `tag AUTHENTICATE mech initial-response`.
  const imap = /^(\s*\S+\s+)(LOGIN|AUTHENTICATE)(\s+|$)(.*)$/i.exec(line);
  if (imap) {
    const [, tag = '', verb = '', space = '', rest = ''] = imap;
    if (verb.toUpperCase() === 'AUTHENTICATE') return `${tag}${verb}${space}${firstArg(rest)}`.trimEnd();
    const user = firstArg(rest);
    return user ? `${tag}${verb}${space}${user} ` : `${tag}${verb} `;
  }
  return line;
}

/** The new history: the sanitized line first, duplicates removed, at most HISTORY_MAX lines. */
export function addToHistory(history: readonly string[], line: string): string[] {
  const clean = sanitizeForHistory(line);
  if (clean === undefined) return [...history].slice(0, HISTORY_MAX);
  return [clean, ...history.filter((h) => h !== clean)].slice(0, HISTORY_MAX);
}

/** Reads a stored history defensively (workspace state can hold anything). */
export function readHistory(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((s): s is string => typeof s === 'string' && sanitizeForHistory(s) === s)
    .slice(0, HISTORY_MAX);
}

/** An IMAP astring-ish first argument: a quoted string or an atom; a literal is never kept. */
function firstArg(rest: string): string {
  const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest);
  if (quoted) return quoted[0];
  const atom = /^[^\s{]+/.exec(rest);
  return atom ? atom[0] : '';
}
