// `mailwire run FILE... [--env NAME=VALUE] [--junit FILE] [--transcript DIR] [--color|--no-color]`
// Runs session scripts, prints each connection's transcript with every expectation marked, and
// ends with `N passed, N failed`. Exit: 0 all held, 1 an expectation failed, 2 usage, syntax or
// connection error.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { envSecretProvider } from '../script/expand.js';
import { hasErrors, parseScript, protocolFromFileName } from '../script/parser.js';
import { runScript } from '../script/runner.js';
import { toJUnitXml } from '../script/junit.js';
import type { ScriptResult, StepResult } from '../script/result.js';
import type { Script } from '../script/ast.js';
import { createSessionTarget } from '../session/script-target.js';
import type { MailSession } from '../session/session.js';
import { colorizeLine } from '../transcript/ansi.js';
import { redactKnownSecrets } from '../transcript/redact.js';

export const RUN_USAGE = `Usage: mailwire run FILE... [options]

Runs session scripts (.smtp, .pop3, .imap, .mailwire) and checks their expectations.

Options:
  --env NAME=VALUE    set a variable for {{$env NAME}} (repeatable); {{$secret NAME}} reads
                      the environment variable MAILWIRE_SECRET_NAME
  --junit FILE        write a JUnit XML report
  --transcript DIR    write each connection's transcript (.jsonl) and rendered text (.txt)
  --ca FILE           trust this CA certificate (PEM) in addition to the system store
  --color, --no-color force or disable colors (default: colors on a terminal)
  --quiet             print only results, not transcripts
  -h, --help          show this help

Exit code: 0 every expectation held, 1 an expectation failed, 2 usage, syntax or connection error.
`;

export interface RunIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly color: boolean;
}

interface RunArgs {
  files: string[];
  env: Record<string, string>;
  junit?: string;
  transcriptDir?: string;
  ca: string[];
  color?: boolean;
  quiet: boolean;
}

export function parseRunArgs(args: readonly string[]): RunArgs | { help: true } | { error: string } {
  const parsed: RunArgs = { files: [], env: {}, ca: [], quiet: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '-h' || arg === '--help') return { help: true };
      else if (arg === '--env') {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) return { error: `--env takes NAME=VALUE, got "${pair.split('=')[0] ?? ''}..."` };
        parsed.env[pair.slice(0, eq)] = pair.slice(eq + 1);
      } else if (arg === '--junit') parsed.junit = value();
      else if (arg === '--transcript') parsed.transcriptDir = value();
      else if (arg === '--ca') parsed.ca.push(readFileSync(value(), 'utf8'));
      else if (arg === '--color') parsed.color = true;
      else if (arg === '--no-color') parsed.color = false;
      else if (arg === '--quiet') parsed.quiet = true;
      else if (arg.startsWith('-')) return { error: `unknown option ${arg} (see mailwire run --help)` };
      else parsed.files.push(arg);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
  if (parsed.files.length === 0) return { error: 'no script files given (see mailwire run --help)' };
  return parsed;
}

class UsageError extends Error {}

export interface LoadedScript {
  readonly file: string;
  readonly script: Script;
}

/** Reads and parses every file first: syntax errors stop the run before anything is sent. */
export function loadScripts(
  files: readonly string[],
  io: Pick<RunIo, 'err'>,
  rewrite: (text: string) => string = (t) => t,
): LoadedScript[] | undefined {
  const loaded: LoadedScript[] = [];
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = rewrite(readFileSync(file, 'utf8'));
    } catch (error) {
      io.err(`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}\n`);
      failed = true;
      continue;
    }
    const protocol = protocolFromFileName(file);
    const { script, diagnostics } = parseScript(text, {
      fileName: file,
      ...(protocol ? { defaultProtocol: protocol } : {}),
    });
    for (const d of diagnostics) io.err(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
    if (hasErrors(diagnostics)) failed = true;
    loaded.push({ file, script });
  }
  return failed ? undefined : loaded;
}

export async function runCommand(args: string[], io: RunIo): Promise<number> {
  const parsed = parseRunArgs(args);
  if ('help' in parsed) {
    io.out(RUN_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`mailwire run: ${parsed.error}\n`);
    return 2;
  }
  const scripts = loadScripts(parsed.files, io);
  if (!scripts) return 2;
  const env = { ...io.env, ...parsed.env };
  const results = await runLoaded(scripts, {
    ...io,
    env,
    color: parsed.color ?? io.color,
    quiet: parsed.quiet,
    ca: parsed.ca,
    ...(parsed.transcriptDir ? { transcriptDir: parsed.transcriptDir } : {}),
  });
  if (parsed.junit) {
    try {
      writeFileSync(parsed.junit, toJUnitXml(results.scripts, { name: 'mailwire' }));
    } catch (error) {
      io.err(
        `mailwire run: cannot write ${parsed.junit}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  }
  return results.exitCode;
}

export interface RunLoadedOptions extends RunIo {
  readonly quiet?: boolean;
  readonly ca?: readonly string[];
  readonly transcriptDir?: string;
}

/** Runs parsed scripts one after another and prints them; returns results and the exit code. */
export async function runLoaded(
  scripts: readonly LoadedScript[],
  options: RunLoadedOptions,
): Promise<{ scripts: ScriptResult[]; passed: number; failed: number; exitCode: number }> {
  const paint = (line: string) => (options.color ? colorizeLine(line) : line);
  const mark = (ok: boolean, text: string) =>
    options.color ? `${ok ? '\u001b[32m' : '\u001b[31m'}${text}\u001b[0m` : text;
  const secrets = secretValues(options.env);
  const results: ScriptResult[] = [];
  let passed = 0;
  let failed = 0;
  let errors = 0;
  if (options.transcriptDir) mkdirSync(options.transcriptDir, { recursive: true });
  for (const { file, script } of scripts) {
    options.out(`\n=== ${file}\n`);
    const sessions: MailSession[] = [];
    const target = createSessionTarget({
      ...(options.ca?.length ? { ca: options.ca } : {}),
      onSession: (session) => sessions.push(session),
      ...(options.transcriptDir
        ? {
            transcriptFile: (_settings, index) =>
              join(options.transcriptDir ?? '.', `${basename(file)}.${index + 1}.jsonl`),
          }
        : {}),
    });
    const result = await runScript(script, target, {
      env: options.env,
      secrets: envSecretProvider(options.env),
    });
    results.push(result);
    if (result.message) options.out(mark(false, `error: ${result.message}`) + '\n');
    result.connections.forEach((connection, index) => {
      options.out(`\n--- @connect ${connection.url} (line ${connection.line}): ${connection.status}\n`);
      const session = sessions[index];
      if (session && !options.quiet) {
        const text = redactKnownSecrets(session.transcript.render(), secrets);
        for (const line of text.split('\n')) if (line) options.out(paint(line) + '\n');
      }
      if (session && options.transcriptDir) {
        const txt = join(options.transcriptDir, `${basename(file)}.${index + 1}.txt`);
        writeFileSync(txt, redactKnownSecrets(session.transcript.render(), secrets));
      }
      session?.transcript.close();
      for (const step of connection.steps) {
        for (const line of describeStep(step)) {
          options.out(mark(line.ok, line.text) + '\n');
          if (line.counts === 'pass') passed++;
          else if (line.counts === 'fail') failed++;
          else if (line.counts === 'error') errors++;
        }
      }
    });
    for (const s of sessions) s.transcript.dispose();
  }
  options.out(`\n${passed} passed, ${failed} failed${errors ? `, ${errors} errors` : ''}\n`);
  const exitCode = errors > 0 || results.some((r) => r.status === 'error') ? 2 : failed > 0 ? 1 : 0;
  return { scripts: results, passed, failed, exitCode };
}

interface MarkLine {
  readonly ok: boolean;
  readonly text: string;
  readonly counts: 'pass' | 'fail' | 'error' | 'none';
}

function describeStep(step: StepResult): MarkLine[] {
  const lines: MarkLine[] = [];
  for (const e of step.expectations) {
    if (e.status === 'passed')
      lines.push({ ok: true, text: `  PASS line ${e.line}: S: ${e.source}`, counts: 'pass' });
    else if (e.status === 'failed')
      lines.push({
        ok: false,
        text: `  FAIL line ${e.line}: S: ${e.source}: ${e.message ?? ''}`,
        counts: 'fail',
      });
  }
  if (step.status === 'error') {
    lines.push({
      ok: false,
      text: `  ERROR line ${step.line}: ${step.title}: ${step.message ?? ''}`,
      counts: 'error',
    });
  } else if (step.status === 'failed' && step.expectations.every((e) => e.status !== 'failed')) {
    lines.push({
      ok: false,
      text: `  FAIL line ${step.line}: ${step.title}: ${step.message ?? ''}`,
      counts: 'fail',
    });
  }
  return lines;
}

/** Values that came from the environment for this run: never printed. */
function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name]) => name.startsWith('MAILWIRE_SECRET_') || /PASS|TOKEN|SECRET/i.test(name))
    .map(([, v]) => v ?? '')
    .filter((v) => v.length >= 3);
}
