// Argument validation shared by the verb tables. Each returns undefined for a usable value, else
// the reason in words; the codec checks again before sending, so these are for early feedback.

/** IMAP sequence set (RFC 9051 `sequence-set`): `1`, `1:*`, `2,4:7,9`, `$`. */
export function imapSequenceSet(value: string): string | undefined {
  return /^(\$|(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*)$/.test(value.trim()) &&
    !/(^|[,:])0+([,:]|$)/.test(value)
    ? undefined
    : 'a sequence set such as 1, 1:10, 2,4:7 or 1:* (numbers start at 1)';
}

export function positiveInteger(value: string): string | undefined {
  return /^[1-9]\d{0,9}$/.test(value.trim()) ? undefined : 'a whole number, 1 or more';
}

export function nonNegativeInteger(value: string): string | undefined {
  return /^\d{1,10}$/.test(value.trim()) ? undefined : 'a whole number, 0 or more';
}

/** No line breaks or NUL (they would end the command early: a different command on the wire). */
export function oneLine(value: string): string | undefined {
  return /[\r\n\0]/.test(value) ? 'must not contain line breaks or NUL' : undefined;
}

export function nonEmptyOneLine(value: string): string | undefined {
  return value.length === 0 ? 'must not be empty' : oneLine(value);
}

/** One word without spaces (POP3 arguments, SMTP domains, SASL mechanism names). */
export function word(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  return /[\s\0]/.test(value) ? 'one word: no spaces or line breaks' : undefined;
}

/** An SMTP path's address: no <, > or spaces; empty is the null reverse path where allowed. */
export function smtpAddress(allowEmpty: boolean) {
  return (value: string): string | undefined => {
    if (value === '') return allowEmpty ? undefined : 'an address such as bob@example.test';
    if (/[<>\s]/.test(value)) return 'the address goes without <, > or spaces (they are added)';
    return undefined;
  };
}

/** A parenthesized or bare list of IMAP flags, e.g. `\Seen` or `(\Seen \Flagged)`. */
export function imapFlagList(value: string): string | undefined {
  const inner = value.trim().replace(/^\((.*)\)$/, '$1');
  if (inner === '') return undefined;
  for (const flag of inner.split(/\s+/)) {
    if (!/^\\?[^\s()"{\\%*\]\x00-\x1f\x7f]+$/.test(flag) && flag !== '\\*')
      return `${JSON.stringify(flag)} is not a flag (\\Seen, \\Flagged, $Label...)`;
  }
  return undefined;
}

/** The flags of `imapFlagList` as a list. */
export function parseFlags(value: string): string[] {
  const inner = value
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  return inner === '' ? [] : inner.split(/\s+/);
}

/** IMAP items text (FETCH items, STATUS items, SEARCH criteria): one line, balanced parentheses. */
export function balanced(value: string): string | undefined {
  const line = oneLine(value);
  if (line) return line;
  if (value.trim() === '') return 'must not be empty';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (depth < 0) return 'a closing parenthesis without an opening one';
  }
  if (quoted) return 'an unterminated quoted string';
  return depth === 0 ? undefined : 'unbalanced parentheses';
}

/** `true`/`false` answers from view actions or quick picks. */
export function isYes(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|1|uid)$/i.test(value.trim());
}
