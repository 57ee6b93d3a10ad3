// Real Dovecot and Postfix dialogues (test/fixtures/recorded, captured byte for byte by
// test/helpers/real-servers/record-dialogues.ts) replayed through a session with each codec:
// every server byte is kept, the client bytes go out exactly as given, every command completes,
// nothing is flagged as malformed, and no password reaches the transcript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandResult } from '../../../src/session/session.js';
import type { Protocol } from '../../../src/protocol/types.js';
import { openMemorySession } from '../../helpers/memory-transport.js';
import { TEST_USERS } from '../../helpers/real-servers/config.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'recorded');

interface Chunk {
  dir: 'C' | 'S';
  bytes: Buffer;
}

function load(file: string): Chunk[] {
  return readFileSync(join(DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { dir: 'C' | 'S'; b64: string })
    .map((o) => ({ dir: o.dir, bytes: Buffer.from(o.b64, 'base64') }));
}

function protocolOf(file: string): Protocol {
  if (file.includes('imap')) return 'imap';
  if (file.includes('pop3')) return 'pop3';
  return 'smtp';
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));

test('there are recorded dialogues for all three protocols', () => {
  for (const p of ['imap', 'pop3', 'smtp'])
    assert.ok(
      files.some((f) => protocolOf(f) === p),
      p,
    );
});

for (const file of files) {
  test(`replaying ${file} keeps every byte and completes every command`, async () => {
    const protocol = protocolOf(file);
    const chunks = load(file);
    const { transport, session } = await openMemorySession(protocol);
    const results: Array<Promise<CommandResult>> = [];
    for (const chunk of chunks) {
      if (chunk.dir === 'S') transport.serverSends(chunk.bytes);
      else results.push(session.sendRaw(chunk.bytes));
      await new Promise((r) => setImmediate(r));
    }
    const serverBytes = Buffer.concat(chunks.filter((c) => c.dir === 'S').map((c) => c.bytes));
    const clientBytes = Buffer.concat(chunks.filter((c) => c.dir === 'C').map((c) => c.bytes));
    assert.deepEqual(session.transcript.bytesOf('S'), serverBytes, 'every server byte is in the transcript');
    assert.deepEqual(Buffer.concat(transport.written), clientBytes, 'client bytes are sent exactly as given');
    const problems = session.transcript.events.filter(
      (e) => (e.dir === 'L' && e.level !== 'info') || (e.dir === 'S' && e.malformed),
    );
    assert.deepEqual(problems, [], 'nothing was flagged');
    session.close('end of recording');
    const outcomes = await Promise.all(results);
    // Lines sent inside an exchange (literal data, SASL answers, DATA bodies) belong to the
    // command that opened it, so only the commands themselves must have completed.
    const unfinished = outcomes.filter((r) => r.outcome === 'closed' || r.outcome === 'timeout');
    assert.ok(
      unfinished.every((r) => r.command && /STARTTLS|STLS|QUIT|LOGOUT/.test(r.command.verb)) ||
        unfinished.length === 0,
      `unfinished: ${unfinished.map((r) => r.command?.verb ?? '?').join(', ')}`,
    );
    const rendered = session.transcript.render() + session.transcript.bytesOf('C').toString('latin1');
    for (const user of TEST_USERS) assert.ok(!rendered.includes(user.password), 'password recorded');
    session.transcript.dispose();
  });
}
