// `mailwire sandbox [options]`: starts the local sandbox mail server until SIGINT/SIGTERM.
import { SandboxConfigError } from '../sandbox/config.js';
import {
  SandboxStartError,
  startSandbox,
  type SandboxOptions,
  type SandboxPorts,
} from '../sandbox/launcher.js';

export const SANDBOX_USAGE = `Usage: mailwire sandbox [options]

Starts a local SMTP, POP3 and IMAP server sharing one mail store.

Options:
  --host ADDRESS     address to listen on (default 127.0.0.1)
  --smtp-port N      SMTP with STARTTLS (default 2525)
  --smtps-port N     SMTP over TLS (default 2465)
  --pop3-port N      POP3 with STLS (default 1110)
  --pop3s-port N     POP3 over TLS (default 1995)
  --imap-port N      IMAP with STARTTLS (default 1143)
  --imaps-port N     IMAP over TLS (default 1993)
  --users FILE       JSON users: [{"username": "...", "password": "...", "addresses": ["..."]}]
  --data DIR         keep mail in DIR across restarts (default: memory only)
  --cert-dir DIR     where the self-signed certificate is kept (default ~/.mailwire/sandbox)
  --help             show this help
`;

const PORT_FLAGS: Record<string, keyof SandboxPorts> = {
  '--smtp-port': 'smtp',
  '--smtps-port': 'smtps',
  '--pop3-port': 'pop3',
  '--pop3s-port': 'pop3s',
  '--imap-port': 'imap',
  '--imaps-port': 'imaps',
};

export type ParsedSandboxArgs =
  | { readonly kind: 'run'; readonly options: SandboxOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Parses the arguments after `sandbox`; `--flag value` and `--flag=value` both work. */
export function parseSandboxArgs(args: readonly string[]): ParsedSandboxArgs {
  const ports: Partial<SandboxPorts> = {};
  let host: string | undefined;
  let usersFile: string | undefined;
  let dataDir: string | undefined;
  let certDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (flag !== arg) {
      value = arg.slice(eq + 1);
    } else {
      value = args[i + 1];
      if (value !== undefined && !value.startsWith('--')) i++;
      else value = undefined;
    }
    const known = flag in PORT_FLAGS || ['--host', '--users', '--data', '--cert-dir'].includes(flag);
    if (!known) return { kind: 'error', message: `unknown option ${flag} (see mailwire sandbox --help)` };
    if (value === undefined || value === '') return { kind: 'error', message: `${flag} needs a value` };
    const service = PORT_FLAGS[flag];
    if (service) {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        return { kind: 'error', message: `${flag} must be a port number from 0 to 65535, not ${value}` };
      }
      ports[service] = Number(value);
    } else if (flag === '--host') host = value;
    else if (flag === '--users') usersFile = value;
    else if (flag === '--data') dataDir = value;
    else certDir = value;
  }
  return {
    kind: 'run',
    options: {
      ports,
      ...(host !== undefined ? { host } : {}),
      ...(usersFile !== undefined ? { usersFile } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(certDir !== undefined ? { certDir } : {}),
    },
  };
}

export interface SandboxCommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Resolves when the command should stop; default: the first SIGINT or SIGTERM. */
  readonly untilStopped?: () => Promise<void>;
}

const processIo: SandboxCommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs `mailwire sandbox`; resolves with the exit code once the sandbox has stopped. */
export async function runSandboxCommand(args: string[], io: SandboxCommandIo = processIo): Promise<number> {
  const parsed = parseSandboxArgs(args);
  if (parsed.kind === 'help') {
    io.out(SANDBOX_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`mailwire sandbox: ${parsed.message}\n`);
    return 2;
  }
  let sandbox;
  try {
    sandbox = await startSandbox(parsed.options);
  } catch (err) {
    const expected = err instanceof SandboxStartError || err instanceof SandboxConfigError;
    io.err(
      `mailwire sandbox: ${expected ? err.message : `cannot start: ${err instanceof Error ? err.message : String(err)}`}\n`,
    );
    return 1;
  }
  io.out(sandbox.describe() + '\n\nPress Ctrl+C to stop.\n');
  await (io.untilStopped ?? waitForSignal)();
  await sandbox.stop();
  io.out('Mailwire sandbox stopped.\n');
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
