// Memory: one 200 MB message fetched (FETCH 1 BODY[]) through a real IMAP session against the
// sandbox, which runs in a child process so only the client is measured. Samples RSS every 50 ms;
// reports peak growth over the RSS just before the FETCH (target: under 64 MB).
// Run: node --import tsx test/bench/memory.ts [--quick]   (--quick: 50 MB)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession } from '../../src/session/open.js';
import { emitRows } from './report.js';
import { startSandboxProcess } from './_sandbox-process.js';

const MB = process.argv.includes('--quick') ? 50 : 200;

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess(MB);
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-bench-mem-'));
  try {
    const session = await openSession({
      url: `imap://127.0.0.1:${sandbox.ports.imap}`,
      transcriptFile: join(dir, 'transcript.jsonl'),
      timeouts: { replyMs: 120_000 },
    });
    if (session.status === 'closed') throw new Error(`IMAP session: ${session.closedBecause ?? 'closed'}`);
    const login = await session.sendRaw('a1 LOGIN alice alice-password', ['alice-password']);
    const select = await session.sendRaw('a2 SELECT INBOX');
    if (login.outcome !== 'ok' || select.outcome !== 'ok')
      throw new Error('LOGIN/SELECT on the sandbox failed');
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const t0 = process.hrtime.bigint();
    const fetch = await session.sendRaw('a3 FETCH 1 BODY[]');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    session.close();
    const growth = (peak - base) / (1024 * 1024);
    console.log(
      `FETCH ${MB} MB BODY[]: ${fetch.outcome} in ${seconds.toFixed(2)} s (${(MB / seconds).toFixed(0)} MB/s); ` +
        `RSS before ${(base / 1048576).toFixed(0)} MiB, peak growth ${growth.toFixed(1)} MiB`,
    );
    emitRows([
      { name: `IMAP FETCH ${MB} MB message via session: time`, value: seconds * 1000, unit: 'ms' },
      {
        name: `IMAP FETCH ${MB} MB message via session: peak RSS growth`,
        value: growth,
        unit: 'MiB',
        target: '< 64',
        met: growth < 64 && fetch.outcome === 'ok',
      },
    ]);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
