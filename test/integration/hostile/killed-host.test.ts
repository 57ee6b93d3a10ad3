// "Transcripts are written to disk as they grow, so a killed extension host loses at most the
// last second": a real child process runs sessions with transcript files against a scripted
// server, is killed with SIGKILL, and each file must then hold every server byte sent more than
// a second before the kill (the file flushes every 250 ms), in order, and parse line by line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostileServer, type HostileServer } from '../../helpers/hostile-server.js';
import { parseTranscriptJsonl } from '../../../src/transcript/jsonl.js';

const SESSIONS = 3;
const dir = mkdtempSync(join(tmpdir(), 'mailwire-killed-'));
let server: HostileServer | undefined;
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the server sent on one connection, with the time each write was handed to the socket. */
interface Sent {
  readonly at: number;
  readonly text: string;
}

test('SIGKILL of a process running sessions loses at most the last second of each transcript', async () => {
  const sent = new Map<number, Sent[]>();
  let connections = 0;
  server = await startHostileServer(async (c) => {
    const log: Sent[] = [];
    const number = connections++;
    sent.set(number, log);
    const send = async (text: string): Promise<void> => {
      if (await c.send(text)) log.push({ at: Date.now(), text });
    };
    await send(`* OK [CAPABILITY IMAP4rev1] connection ${number} ready\r\n`);
    for (let n = 1; ; n++) {
      const line = await c.readLine(20_000);
      if (line === undefined) return;
      const tag = line.split(' ')[0] ?? '*';
      await send(`* ${n} EXISTS\r\n${tag} OK NOOP number ${n}\r\n`);
    }
  });
  const files = Array.from({ length: SESSIONS }, (_, i) => join(dir, `s${i}.jsonl`));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'killed-host-child.ts'), server.url('imap'), ...files],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it was ready: ${err}`)));
  });
  // Let the sessions run long enough for several flushes, then kill without warning.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const killedAt = Date.now();
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  assert.equal(sent.size, SESSIONS, 'every session connected');
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseTranscriptJsonl(text);
    // A kill can cut the last line in half; every line before it must be whole.
    const whole = text.endsWith('\n') ? parsed.errors : parsed.errors.slice(0, -1);
    assert.deepEqual(whole, [], `${file}: only the last line may be cut`);
    const recorded = Buffer.concat(
      parsed.events.flatMap((e) => (e.dir === 'S' ? [Buffer.from(e.bytes)] : [])),
    ).toString('latin1');
    // Sessions connect in parallel: the greeting says which connection a file belongs to.
    const i = Number(/connection (\d+) ready/.exec(recorded)?.[1] ?? -1);
    const log = sent.get(i) ?? [];
    const due = log
      .filter((s) => s.at <= killedAt - 1_000)
      .map((s) => s.text)
      .join('');
    assert.ok(due.length > 1_000, `the server sent enough before the last second (${due.length} bytes)`);
    // The server's bytes are on disk in order, up to at least everything due.
    assert.ok(
      recorded.startsWith(due),
      `session ${i}: ${recorded.length} bytes on disk, ${due.length} were due`,
    );
    const everything = log.map((s) => s.text).join('');
    assert.ok(
      everything.startsWith(recorded),
      `session ${i}: the file holds nothing the server did not send`,
    );
  }
});
