// Child process for killed-host.test.ts: stands in for an extension host. It opens sessions that
// write their transcripts to disk, keeps commands going, and is killed with SIGKILL by the test.
// argv: URL, then transcript file paths (one session each).
import { openSession } from '../../../src/session/open.js';

async function main(): Promise<void> {
  const [url, ...files] = process.argv.slice(2);
  if (!url || files.length === 0) throw new Error('usage: killed-host-child URL FILE...');
  const sessions = await Promise.all(
    files.map((file) => openSession({ url, transcriptFile: file, timeouts: { replyMs: 5_000 } })),
  );
  process.stdout.write('ready\n');
  let n = 0;
  for (;;) {
    await Promise.all(sessions.map((s) => s.sendRaw(`k${++n} NOOP`)));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
