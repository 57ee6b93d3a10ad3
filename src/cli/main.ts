// `mailwire` command line: `mailwire sandbox`, `mailwire run`, `mailwire demo`.
import { runSandboxCommand } from './sandbox-command.js';
import { runCommand } from './run-command.js';
import { runDemoCommand } from './demo-command.js';
import { convertCommand } from './convert-command.js';
import { shouldColor } from '../transcript/ansi.js';
import type { RunIo } from './run-command.js';

const USAGE = `Usage: mailwire COMMAND [options]

Commands:
  sandbox       start the built-in SMTP, POP3 and IMAP sandbox server on 127.0.0.1
  run FILE...   run session scripts and check their expectations
  demo          start the sandbox and run the example scripts against it
  convert FILE  turn a saved transcript into a script that replays it
  help          show this help

Run "mailwire COMMAND --help" for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io: RunIo = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    color: shouldColor(process.stdout),
  };
  switch (command) {
    case 'sandbox':
      return runSandboxCommand(rest);
    case 'run':
      return runCommand(rest, io);
    case 'demo':
      return runDemoCommand(rest, io);
    case 'convert':
      return convertCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`mailwire: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `mailwire: internal error: ${reason instanceof Error ? reason.message : String(reason)}\n`,
  );
  process.exitCode = 2;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mailwire: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
