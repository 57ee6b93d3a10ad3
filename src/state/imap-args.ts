// Reads the arguments of an IMAP command line as recorded (tag, verb, then atoms, quoted strings
// and parenthesized lists), enough to know which mailbox a SELECT or LIST was about. A line it
// cannot read gives what was read so far; it never throws.

export interface ImapCommandLine {
  readonly tag: string;
  /** Upper case; `UID FETCH` for UID commands. */
  readonly verb: string;
  /** Arguments: quoted strings unquoted, lists and literals kept as written. */
  readonly args: readonly string[];
}

export function readImapCommand(line: string): ImapCommandLine {
  const text = line.replace(/\r?\n$/, '');
  const words = tokens(text);
  const tag = words[0] ?? '';
  let verb = (words[1] ?? '').toUpperCase();
  let rest = words.slice(2);
  if (verb === 'UID' && rest.length > 0) {
    verb = `UID ${(rest[0] ?? '').toUpperCase()}`;
    rest = rest.slice(1);
  }
  return { tag, verb, args: rest };
}

function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
      out.push(value);
      continue;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      let depth = 0;
      const start = i;
      for (; i < text.length; i++) {
        if (text[i] === c) depth++;
        else if (text[i] === close && --depth === 0) {
          i++;
          break;
        }
      }
      out.push(text.slice(start, i));
      continue;
    }
    const start = i;
    while (i < text.length && text[i] !== ' ') i++;
    out.push(text.slice(start, i));
  }
  return out;
}
