// Replays a recorded dialogue (test/fixtures/recorded) through a real session over an in-memory
// transport, with a state model attached, for the state tests and the webview render test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailSession, type CommandResult } from '../../../src/session/session.js';
import type { Protocol } from '../../../src/protocol/types.js';
import { SessionStateModel } from '../../../src/state/index.js';
import { MemoryTransport, openMemorySession } from '../../helpers/memory-transport.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'recorded');

export function load(file: string): Array<{ dir: 'C' | 'S'; bytes: Buffer }> {
  return readFileSync(join(DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { dir: 'C' | 'S'; b64: string })
    .map((o) => ({ dir: o.dir, bytes: Buffer.from(o.b64, 'base64') }));
}

/**
 * Replays `file` and returns the model. `attachAfter` chunks are played before the model is made
 * (as in the editor, which attaches it after the greeting and STARTTLS), the rest live.
 */
export async function replay(
  file: string,
  protocol: Protocol,
  options: { attachAfter?: number; stopAfter?: number } = {},
): Promise<{
  model: SessionStateModel;
  session: MailSession;
  transport: MemoryTransport;
  changes: () => number;
}> {
  const chunks = load(file).slice(0, options.stopAfter);
  const { transport, session } = await openMemorySession(protocol);
  let model: SessionStateModel | undefined;
  let changes = 0;
  const attach = () => {
    model = new SessionStateModel(session);
    model.onChange(() => changes++);
  };
  const results: Array<Promise<CommandResult>> = [];
  for (const [i, chunk] of chunks.entries()) {
    if (i === (options.attachAfter ?? 0)) attach();
    if (chunk.dir === 'S') transport.serverSends(chunk.bytes);
    else results.push(session.sendRaw(chunk.bytes));
    await new Promise((r) => setImmediate(r));
  }
  if (!model) attach();
  return { model: model!, session, transport, changes: () => changes };
}
