// `mailwire demo` (what `npm start` runs): starts the sandbox, runs the shipped example scripts
// against it and prints their highlighted transcripts, then stops the sandbox.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, SandboxStartError, startSandbox, type RunningSandbox } from '../sandbox/launcher.js';
import { loadScripts, runLoaded, type RunIo } from './run-command.js';

/** Example order tells the seed articles' story: send, download (keep/delete), manage. */
const ORDER = ['sandbox-smtp-send.smtp', 'sandbox-pop3-keep-delete.pop3', 'sandbox-imap-folders.imap'];

export function examplesDir(): string {
  // dist/cli.js and src/cli/demo-command.ts are both two levels below the package root.
  const candidates = [
    join(__dirname, '..', 'media', 'examples'),
    join(__dirname, '..', '..', 'media', 'examples'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0] ?? 'media/examples';
}

export async function runDemoCommand(args: string[], io: RunIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(
      'Usage: mailwire demo\n\nStarts the sandbox mail server, runs the example scripts against it, and stops it.\n',
    );
    return 0;
  }
  const dir = examplesDir();
  const files = readdirSync(dir)
    .filter((f) => /\.(smtp|pop3|imap|mailwire)$/.test(f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((f) => join(dir, f));
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({});
  } catch (error) {
    if (!(error instanceof SandboxStartError)) throw error;
    // Default ports taken (another sandbox?): use free ones and point the examples at them.
    io.err(`note: ${error.message}; using free ports instead\n`);
    sandbox = await startSandbox({ ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 } });
  }
  try {
    io.out(sandbox.describe() + '\n');
    const ports = sandbox.ports;
    const rewrite = (text: string) =>
      text.replace(/^(@connect\s+\w+:\/\/127\.0\.0\.1:)(\d+)/gm, (whole, head: string, port: string) => {
        const service = (Object.keys(DEFAULT_PORTS) as Array<keyof typeof DEFAULT_PORTS>).find(
          (s) => String(DEFAULT_PORTS[s]) === port,
        );
        return service ? `${head}${ports[service]}` : whole;
      });
    const scripts = loadScripts(files, io, rewrite);
    if (!scripts) return 2;
    const result = await runLoaded(scripts, io);
    return result.exitCode;
  } finally {
    await sandbox.stop();
  }
}

function rank(file: string): number {
  const i = ORDER.indexOf(file);
  return i < 0 ? ORDER.length : i;
}
