// Where the script CodeLenses go, from the text alone (no parse, so they appear at once):
// "Run Script" on the first line that does something, "Run to Here" / "Run Line" on each `C:` line
// outside a `<<<` ... `>>>` body. Lines are 0-based.

export interface LensPlace {
  readonly line: number;
  readonly kind: 'script' | 'command';
}

export function lensPlaces(lines: readonly string[]): LensPlace[] {
  const out: LensPlace[] = [];
  let inBlock = false;
  let first = true;
  lines.forEach((text, line) => {
    const t = text.trim();
    if (inBlock) {
      if (t === '>>>') inBlock = false;
      return;
    }
    if (t === '' || t.startsWith('#')) return;
    if (first) {
      out.push({ line, kind: 'script' });
      first = false;
    }
    // An inline body: its lines are message text, not commands (`<<< @file path` has none).
    if (t === '<<<') inBlock = true;
    if (t.startsWith('C:')) out.push({ line, kind: 'command' });
  });
  return out;
}
