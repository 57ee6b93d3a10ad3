// Runs palette verbs from the verb table the way the extension does, without VS Code: the same
// availability check, the same specs, given arguments instead of prompts.
import assert from 'node:assert/strict';
import { DEFAULT_CLIENT_NAME } from '../../src/session/open.js';
import type { MailSession } from '../../src/session/session.js';
import { availability, verbById } from '../../src/verbs/catalog.js';
import { NO_HINTS, type VerbHints, type VerbOutcome } from '../../src/verbs/types.js';

export async function runVerb(
  session: MailSession,
  id: string,
  args: Record<string, string> = {},
  options: { files?: Record<string, Uint8Array>; hints?: VerbHints } = {},
): Promise<VerbOutcome> {
  const spec = verbById(id);
  assert.ok(spec, `verb ${id} exists`);
  const allowed = availability(spec, session);
  assert.ok(allowed.ok, `${id} is available: ${allowed.ok ? '' : allowed.reason}`);
  const hints = options.hints ?? NO_HINTS;
  // Defaults the prompts would offer, for arguments the test leaves out.
  const filled: Record<string, string> = {};
  for (const a of spec.args) {
    const value = args[a.name] ?? a.defaultValue?.(hints);
    if (value !== undefined) filled[a.name] = value;
    const problem = value === undefined || (value === '' && a.optional) ? undefined : a.validate?.(value);
    assert.equal(problem, undefined, `${id} ${a.name}=${JSON.stringify(value)} validates`);
  }
  return spec.run({
    session,
    args: filled,
    files: options.files ?? {},
    hints,
    clientName: DEFAULT_CLIENT_NAME,
  });
}

/** The client lines of the transcript, as rendered (C: lines only, without timestamps). */
export function clientLines(session: MailSession): string[] {
  return session.transcript
    .render({ timestamps: false })
    .split('\n')
    .filter((l) => l.startsWith('C: '))
    .map((l) => l.slice(3));
}
