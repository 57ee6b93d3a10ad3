// Matches the `S:` lines of one command against the lines of the server's reply.
//
// Loose (default): each expectation matches the first reply line at or after the previous match;
// other lines (untagged data, informational lines) are allowed. A failed expectation does not move
// the position, so the next one is still tried.
// Strict (`@strict on`): expectation i must match reply line i, and lines left over are failures.
// A command without expectations is never checked, strict or not.

export type ResolvedExpectation =
  /** Plain text, already expanded: matches a line that starts with it (case-sensitive). */
  { readonly kind: 'prefix'; readonly text: string } | { readonly kind: 'regex'; readonly regex: RegExp };

export interface ExpectationOutcome {
  readonly ok: boolean;
  /** Index of the reply line it matched. */
  readonly lineIndex?: number;
  /** Why it failed, with the actual lines. */
  readonly message?: string;
  /** Named groups of a matching regex that took part in the match. */
  readonly groups: Readonly<Record<string, string>>;
}

export interface MatchOutcome {
  readonly ok: boolean;
  readonly expectations: readonly ExpectationOutcome[];
  /** Strict mode: reply lines no expectation accounted for. */
  readonly unexpected: readonly { readonly index: number; readonly line: string }[];
  /** All named groups of the matching regexes (later ones win). */
  readonly variables: Readonly<Record<string, string>>;
  /** One message for the whole reply when it failed. */
  readonly message?: string;
}

const MAX_SHOWN_LINES = 5;
const MAX_SHOWN_CHARS = 300;

export function describeExpectation(e: ResolvedExpectation): string {
  return e.kind === 'prefix' ? `a line starting with ${quote(e.text)}` : `a line matching ${String(e.regex)}`;
}

/** A line for a message: JSON-quoted (control characters visible), shortened when very long. */
export function quote(line: string): string {
  const short = line.length > MAX_SHOWN_CHARS ? line.slice(0, MAX_SHOWN_CHARS) + '…' : line;
  return JSON.stringify(short);
}

function showLines(lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_SHOWN_LINES).map(quote).join(', ');
  const more = lines.length - MAX_SHOWN_LINES;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}

function test(e: ResolvedExpectation, line: string): RegExpExecArray | boolean {
  if (e.kind === 'prefix') return line.startsWith(e.text);
  e.regex.lastIndex = 0;
  return e.regex.exec(line) ?? false;
}

function groupsOf(m: RegExpExecArray | boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof m === 'boolean' || !m.groups) return out;
  for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) out[k] = v;
  return out;
}

export function matchReply(
  expectations: readonly ResolvedExpectation[],
  lines: readonly string[],
  options: { readonly strict: boolean },
): MatchOutcome {
  const outcomes: ExpectationOutcome[] = [];
  const variables: Record<string, string> = {};
  let cursor = 0;
  for (const e of expectations) {
    if (options.strict) {
      const line = lines[cursor];
      const m = line === undefined ? false : test(e, line);
      if (line === undefined) {
        outcomes.push({
          ok: false,
          message: `expected ${describeExpectation(e)} as line ${cursor + 1} of the reply, but the reply has only ${lines.length} line${lines.length === 1 ? '' : 's'}`,
          groups: {},
        });
      } else if (m === false) {
        outcomes.push({
          ok: false,
          lineIndex: cursor,
          message: `expected ${describeExpectation(e)} as line ${cursor + 1} of the reply, got: ${quote(line)}`,
          groups: {},
        });
      } else {
        const groups = groupsOf(m);
        Object.assign(variables, groups);
        outcomes.push({ ok: true, lineIndex: cursor, groups });
      }
      cursor++;
      continue;
    }
    let found = -1;
    let match: RegExpExecArray | boolean = false;
    for (let i = cursor; i < lines.length; i++) {
      const m = test(e, lines[i] ?? '');
      if (m !== false) {
        found = i;
        match = m;
        break;
      }
    }
    if (found >= 0) {
      const groups = groupsOf(match);
      Object.assign(variables, groups);
      outcomes.push({ ok: true, lineIndex: found, groups });
      cursor = found + 1;
      continue;
    }
    const rest = lines.slice(cursor);
    let got: string;
    if (lines.length === 0) got = 'got no reply lines';
    else if (rest.length === 0)
      got = `got no more lines after the earlier matches (reply: ${showLines(lines)})`;
    else got = `got: ${showLines(rest)}`;
    outcomes.push({ ok: false, message: `expected ${describeExpectation(e)}, ${got}`, groups: {} });
  }
  const unexpected: { index: number; line: string }[] = [];
  if (options.strict && expectations.length > 0) {
    for (let i = cursor; i < lines.length; i++) unexpected.push({ index: i, line: lines[i] ?? '' });
  }
  const failures = outcomes.filter((o) => !o.ok).map((o) => o.message ?? '');
  if (unexpected.length > 0) {
    failures.push(
      `strict mode: unexpected reply line${unexpected.length === 1 ? '' : 's'} ${showLines(unexpected.map((u) => u.line))}`,
    );
  }
  return {
    ok: failures.length === 0,
    expectations: outcomes,
    unexpected,
    variables,
    ...(failures.length > 0 ? { message: failures.join('; ') } : {}),
  };
}
