/** Client text echoed in a reply: bounded, and only visible ASCII (no reply splitting). */
export function printable(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? clean.slice(0, 40) + '...' : clean;
}
