// The in-memory NOOP loop that scripts/instructions.mjs runs under callgrind: WARM_UP commands,
// then COUNT more. The script runs it with two counts and takes the difference, so start-up and
// JIT warm-up cancel out. `harness` runs the same transport and awaits with no session, to show
// how much of the figure is the loop itself.
// Run: node test/bench/_instructions-child.js imap|pop3|harness COUNT (bundled by the script)
import { AnsweringTransport, answeringSession, noopLine, type NoopProtocol } from './_answering-transport.js';

const WARM_UP = 20_000;
const mode = process.argv[2] ?? 'imap';
const count = Number(process.argv[3] ?? 20_000);

async function sessionLoop(protocol: NoopProtocol): Promise<void> {
  const session = await answeringSession(protocol);
  for (let i = 0; i < WARM_UP + count; i++) {
    const result = await session.sendRaw(noopLine(protocol, i));
    if (result.outcome !== 'ok') throw new Error(`${protocol} NOOP failed: ${result.text}`);
  }
  session.close();
}

/** The transport answering IMAP NOOPs and one await per command, with nothing in between. */
async function harnessLoop(): Promise<void> {
  const transport = new AnsweringTransport(
    (sent) => `${sent.slice(0, sent.indexOf(' '))} OK NOOP completed\r\n`,
  );
  let answered: (() => void) | undefined;
  transport.on('data', () => answered?.());
  for (let i = 0; i < WARM_UP + count; i++) {
    await new Promise<void>((resolve) => {
      answered = resolve;
      transport.send(Buffer.from(`${noopLine('imap', i)}\r\n`), () => undefined);
    });
  }
}

(mode === 'harness' ? harnessLoop() : sessionLoop(mode as NoopProtocol)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
