// Runs a parsed script against a `ScriptTarget`.
//
// Order: the preamble (`@set`, settings before the first `@connect`), then each connection in
// turn. Inside a connection, steps run in order; the first step that does not pass (failed
// expectation, timeout, connection error, unset variable) ends that connection: it is closed, its
// remaining steps are reported as skipped, and the runner continues with the next `@connect`
// block (a later session usually does not depend on the state of a broken one, and a report that
// covers every block is more useful than one that stops early). Variables and settings carry over
// from block to block. A failing preamble stops everything (every block is reported skipped).
//
// Do not run a script whose parse had errors: the tree leaves broken lines out.

import { Buffer } from 'node:buffer';
import { readFile as fsReadFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CommandStep, Connection, Expectation, Payload, Script, ScriptSettings, Step } from './ast.js';
import { DEFAULT_SETTINGS } from './ast.js';
import { expand, ExpansionError, redact, type SecretProvider, type VariableValue } from './expand.js';
import { matchReply, type ResolvedExpectation } from './matcher.js';
import { imapLiteralBytes, imapLiteralLine, smtpDataBytes, toCrlf } from './payload.js';
import {
  combineStatus,
  type ConnectionResult,
  type ExpectationResult,
  type ScriptResult,
  type Status,
  type StepResult,
} from './result.js';
import type { ReplyLines, ScriptConnection, ScriptTarget } from './target.js';
import { parseConnectUrl } from './url.js';

export interface RunOptions {
  /** For `{{$env NAME}}`. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For `{{$secret NAME}}`; without one, `$secret` is an error at run time. */
  readonly secrets?: SecretProvider;
  /** Reads `<<< @file` payloads (given the resolved path). Default: `fs.readFile`. */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
  /** Millisecond clock for durations. Default: `performance.now`. */
  readonly now?: () => number;
  /** Settings before the script's own `@timeout`/`@tls`/`@strict` lines. */
  readonly settings?: Partial<ScriptSettings>;
  /** Called after each step with its (redacted) result, for live progress. Must not throw. */
  readonly onStep?: (connectionIndex: number, step: StepResult) => void;
}

/** Thrown inside the runner to end a connection with a status and message. */
class StepStop extends Error {
  constructor(
    message: string,
    readonly status: 'failed' | 'error',
  ) {
    super(message);
  }
}

const SECONDS = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

class Run {
  readonly variables = new Map<string, VariableValue>();
  /** Every secret value seen, for redaction of everything the results hold. */
  readonly secrets = new Set<string>();
  settings: ScriptSettings;
  private readonly now: () => number;

  constructor(
    private readonly script: Script,
    private readonly target: ScriptTarget,
    private readonly options: RunOptions,
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.now = options.now ?? (() => performance.now());
  }

  private get ctx() {
    return { variables: this.variables, env: this.options.env ?? process.env, secrets: this.options.secrets };
  }

  private r(text: string): string {
    return redact(text, this.secrets);
  }

  async run(): Promise<ScriptResult> {
    const start = this.now();
    try {
      for (const step of this.script.preamble) await this.simpleStep(step);
    } catch (e) {
      const message = this.r(`before the first @connect: ${errorMessage(e)}`);
      const connections = this.script.connections.map((c) => this.skippedConnection(c, []));
      return {
        fileName: this.script.fileName,
        status: 'error',
        durationMs: this.now() - start,
        connections,
        message,
      };
    }
    const connections: ConnectionResult[] = [];
    for (const [i, c] of this.script.connections.entries()) connections.push(await this.connection(c, i));
    const result: ScriptResult = {
      fileName: this.script.fileName,
      status: combineStatus(connections.map((c) => c.status)),
      durationMs: this.now() - start,
      connections,
    };
    // Secrets learned late may have shown up earlier (a server echoing a password): redact again.
    return redactDeep(result, this.secrets);
  }

  /** `@set` and settings. Throws ExpansionError. */
  private async simpleStep(step: Step): Promise<void> {
    switch (step.kind) {
      case 'set': {
        const v = await expand(step.value, this.ctx);
        v.secrets.forEach((s) => this.secrets.add(s));
        this.variables.set(step.name, { value: v.text, secrets: v.secrets });
        return;
      }
      case 'timeout':
        this.settings = { ...this.settings, timeoutMs: step.ms };
        return;
      case 'tls':
        this.settings = { ...this.settings, acceptUnverified: step.acceptUnverified };
        return;
      case 'strict':
        this.settings = { ...this.settings, strict: step.strict };
        return;
      case 'command':
        return;
    }
  }

  private async connection(c: Connection, index: number): Promise<ConnectionResult> {
    const start = this.now();
    const steps: StepResult[] = [];
    const push = (s: StepResult): void => {
      const red = redactDeep(s, this.secrets);
      steps.push(red);
      try {
        this.options.onStep?.(index, red);
      } catch {
        // A progress listener's bug must not break the run.
      }
    };
    let url = c.urlSource;
    let conn: ScriptConnection | undefined;
    // Steps not yet started; they are reported skipped when the block stops.
    let remaining = c.steps.length;
    try {
      // connect
      const t0 = this.now();
      try {
        const u = await expand(c.url, this.ctx);
        u.secrets.forEach((s) => this.secrets.add(s));
        url = u.text;
        const parsed = parseConnectUrl(url, c.protocol);
        if (!parsed.ok) throw new StepStop(parsed.error, 'error');
        const settings = {
          ...parsed.target,
          protocol: c.protocol,
          implicitTls: parsed.target.implicitTls || c.implicitTls,
          acceptUnverified: this.settings.acceptUnverified,
          timeoutMs: this.settings.timeoutMs,
          url,
        };
        const connecting = this.target.connect(settings);
        conn = await this.timed(connecting, `the connection to ${url}`, undefined).catch((e: unknown) => {
          // A connection that opens after the timeout must not stay open.
          connecting.then(
            (late) => late.close(),
            () => undefined,
          );
          throw e;
        });
        push(this.step('connect', c.span.line, `@connect ${url}`, 'passed', t0, [], []));
      } catch (e) {
        push(
          this.step('connect', c.span.line, `@connect ${url}`, stopStatus(e), t0, [], [], errorMessage(e)),
        );
        throw e;
      }
      // greeting
      const g0 = this.now();
      let greeting: ReplyLines | undefined;
      try {
        const live = conn;
        greeting = await this.timed(live.greeting(), 'the greeting', live);
        const m = await this.match(c.greeting, greeting.lines);
        const status: Status = m.ok ? 'passed' : 'failed';
        push(
          this.step('greeting', c.span.line, 'greeting', status, g0, greeting.lines, m.results, m.message),
        );
        if (!m.ok) throw new StepStop(m.message ?? 'greeting did not match', 'failed');
      } catch (e) {
        if (!(e instanceof StepStop && greeting)) {
          push(
            this.step(
              'greeting',
              c.span.line,
              'greeting',
              stopStatus(e),
              g0,
              greeting?.lines ?? [],
              this.unrun(c.greeting, 'error'),
              errorMessage(e),
            ),
          );
        }
        throw e;
      }
      // steps
      for (const [i, step] of c.steps.entries()) {
        remaining = c.steps.length - i - 1;
        if (step.kind === 'command') {
          const res = await this.command(step, c, conn);
          push(res);
          if (res.status !== 'passed')
            throw new StepStop(res.message ?? res.status, res.status === 'failed' ? 'failed' : 'error');
          continue;
        }
        const s0 = this.now();
        try {
          await this.simpleStep(step);
        } catch (e) {
          if (step.kind === 'set')
            push(this.step('set', step.span.line, `@set ${step.name}`, 'error', s0, [], [], errorMessage(e)));
          throw e;
        }
      }
      remaining = 0;
    } catch {
      // Reported in the step that stopped; the rest of this block is skipped.
      const done = new Set(steps.map((s) => s.kind));
      const rest = c.steps.slice(c.steps.length - remaining);
      if (!done.has('greeting')) steps.push(...this.skippedConnection(c, ['connect']).steps.slice(0, 1));
      steps.push(...this.skippedSteps(rest));
    } finally {
      try {
        conn?.close();
      } catch {
        // Closing is best effort.
      }
    }
    return {
      line: c.span.line,
      url: this.r(url),
      protocol: c.protocol,
      status: combineStatus(steps.map((s) => s.status)),
      durationMs: this.now() - start,
      steps,
    };
  }

  private async command(step: CommandStep, c: Connection, conn: ScriptConnection): Promise<StepResult> {
    const t0 = this.now();
    const reply: string[] = [];
    const results: ExpectationResult[] = [];
    let title = step.source;
    const allExpectations = [...step.expectations, ...(step.payload?.expectations ?? [])];
    try {
      const line = await expand(step.text, this.ctx);
      line.secrets.forEach((s) => this.secrets.add(s));
      let text = line.text;
      let payload: { bytes: Uint8Array; secrets: readonly string[] } | undefined;
      if (step.payload) {
        const body = await this.payloadBytes(step.payload.body);
        if (step.payload.kind === 'imap-literal') {
          text = imapLiteralLine(text, body.bytes.length);
          payload = { bytes: imapLiteralBytes(body.bytes), secrets: body.secrets };
        } else {
          payload = { bytes: smtpDataBytes(body.bytes), secrets: body.secrets };
        }
      }
      title = this.r(text);
      const first = await this.timed(
        conn.send(text, line.secrets),
        `the reply to ${JSON.stringify(title)}`,
        conn,
      );
      reply.push(...first.lines);
      const m1 = await this.match(step.expectations, first.lines);
      results.push(...m1.results);
      if (!m1.ok) {
        results.push(...this.unrun(step.payload?.expectations ?? [], 'skipped'));
        return this.step('command', step.span.line, title, 'failed', t0, reply, results, m1.message);
      }
      if (step.payload && payload) {
        if (!first.continuation) {
          const asked = step.payload.kind === 'smtp-data' ? '354' : '+';
          results.push(...this.unrun(step.payload.expectations, 'skipped'));
          const got = first.lines.at(-1);
          const message = `the server did not ask for the ${step.payload.kind === 'smtp-data' ? 'message body' : 'literal'} (expected ${asked}), got: ${got === undefined ? 'no reply lines' : JSON.stringify(got)}`;
          return this.step('command', step.span.line, title, 'failed', t0, reply, results, message);
        }
        const second = await this.timed(
          conn.sendPayload(payload.bytes, step.payload.kind, payload.secrets),
          `the reply to the ${step.payload.kind === 'smtp-data' ? 'message body' : 'literal'} of ${JSON.stringify(title)}`,
          conn,
        );
        reply.push(...second.lines);
        const m2 = await this.match(step.payload.expectations, second.lines);
        results.push(...m2.results);
        if (!m2.ok)
          return this.step('command', step.span.line, title, 'failed', t0, reply, results, m2.message);
        return this.step('command', step.span.line, title, 'passed', t0, reply, results);
      }
      if (!first.continuation && first.ok && isStartTls(c.protocol, text)) {
        await this.timed(conn.startTls(), 'the TLS handshake', conn);
      }
      return this.step('command', step.span.line, title, 'passed', t0, reply, results);
    } catch (e) {
      const done = results.length;
      results.push(...this.unrun(allExpectations.slice(done), 'error'));
      return this.step('command', step.span.line, title, stopStatus(e), t0, reply, results, errorMessage(e));
    }
  }

  private async payloadBytes(p: Payload): Promise<{ bytes: Uint8Array; secrets: readonly string[] }> {
    if (p.kind === 'inline') {
      let text = '';
      const secrets = new Set<string>();
      for (const l of p.lines) {
        const e = await expand(l, this.ctx);
        e.secrets.forEach((s) => {
          secrets.add(s);
          this.secrets.add(s);
        });
        text += e.text + '\r\n';
      }
      return { bytes: toCrlf(Buffer.from(text, 'utf8')), secrets: [...secrets] };
    }
    const path = isAbsolute(p.path) ? p.path : resolve(dirname(this.script.fileName), p.path);
    const read = this.options.readFile ?? ((f: string) => fsReadFile(f));
    try {
      return { bytes: toCrlf(await read(path)), secrets: [] };
    } catch (e) {
      throw new StepStop(`cannot read ${p.path} (line ${p.span.line}): ${errorMessage(e)}`, 'error');
    }
  }

  private async match(expectations: readonly Expectation[], lines: readonly string[]) {
    const resolved: ResolvedExpectation[] = [];
    for (const e of expectations) {
      if (e.kind === 'regex') {
        resolved.push({ kind: 'regex', regex: e.regex });
      } else {
        const x = await expand(e.text, this.ctx);
        x.secrets.forEach((s) => this.secrets.add(s));
        resolved.push({ kind: 'prefix', text: x.text });
      }
    }
    const m = matchReply(resolved, lines, { strict: this.settings.strict });
    for (const [k, v] of Object.entries(m.variables)) this.variables.set(k, { value: v, secrets: [] });
    const results: ExpectationResult[] = expectations.map((e, i) => {
      const o = m.expectations[i];
      return {
        line: e.span.line,
        column: e.span.column,
        endColumn: e.span.endColumn,
        source: e.source,
        status: o?.ok ? 'passed' : 'failed',
        ...(o?.message !== undefined ? { message: o.message } : {}),
      };
    });
    return { ok: m.ok, message: m.message, results };
  }

  private unrun(expectations: readonly Expectation[], status: Status): ExpectationResult[] {
    return expectations.map((e) => ({
      line: e.span.line,
      column: e.span.column,
      endColumn: e.span.endColumn,
      source: e.source,
      status,
    }));
  }

  private step(
    kind: StepResult['kind'],
    line: number,
    title: string,
    status: Status,
    t0: number,
    reply: readonly string[],
    expectations: readonly ExpectationResult[],
    message?: string,
  ): StepResult {
    return {
      kind,
      line,
      title,
      status,
      durationMs: this.now() - t0,
      reply: [...reply],
      expectations,
      ...(message !== undefined ? { message } : {}),
    };
  }

  private skippedSteps(steps: readonly Step[]): StepResult[] {
    return steps
      .filter((s): s is CommandStep => s.kind === 'command')
      .map((s) => ({
        kind: 'command' as const,
        line: s.span.line,
        title: s.source,
        status: 'skipped' as const,
        durationMs: 0,
        reply: [],
        expectations: this.unrun([...s.expectations, ...(s.payload?.expectations ?? [])], 'skipped'),
      }));
  }

  /** A block that did not run: greeting (and connect unless excluded) and its commands skipped. */
  private skippedConnection(c: Connection, exclude: readonly string[]): ConnectionResult {
    const head: StepResult[] = [];
    if (!exclude.includes('connect')) {
      head.push({
        kind: 'connect',
        line: c.span.line,
        title: `@connect ${c.urlSource}`,
        status: 'skipped',
        durationMs: 0,
        reply: [],
        expectations: [],
      });
    }
    head.push({
      kind: 'greeting',
      line: c.span.line,
      title: 'greeting',
      status: 'skipped',
      durationMs: 0,
      reply: [],
      expectations: this.unrun(c.greeting, 'skipped'),
    });
    return {
      line: c.span.line,
      url: c.urlSource,
      protocol: c.protocol,
      status: 'skipped',
      durationMs: 0,
      steps: [...head, ...this.skippedSteps(c.steps)],
    };
  }

  /** Races a target call against `@timeout`; on timeout the connection is closed. */
  private async timed<T>(p: Promise<T>, what: string, conn: ScriptConnection | undefined): Promise<T> {
    const ms = this.settings.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        try {
          conn?.close();
        } catch {
          // best effort
        }
        reject(
          new StepStop(`no answer: timed out after ${SECONDS(ms)} waiting for ${what} (@timeout)`, 'error'),
        );
      }, ms);
    });
    // The losing promise may still reject later; that is expected and already handled.
    p.catch(() => undefined);
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** STARTTLS (SMTP), `tag STARTTLS` (IMAP), STLS (POP3). */
function isStartTls(protocol: Connection['protocol'], line: string): boolean {
  const t = line.trim().toUpperCase();
  if (protocol === 'smtp') return t === 'STARTTLS';
  if (protocol === 'pop3') return t === 'STLS';
  return /^\S+ STARTTLS$/.test(t);
}

function stopStatus(e: unknown): 'failed' | 'error' {
  return e instanceof StepStop ? e.status : 'error';
}

function errorMessage(e: unknown): string {
  if (e instanceof StepStop || e instanceof ExpansionError) return e.message;
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** A copy of a result with every string redacted. */
function redactDeep<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Runs the script; never rejects (every problem is in the result). */
export async function runScript(
  script: Script,
  target: ScriptTarget,
  options: RunOptions = {},
): Promise<ScriptResult> {
  const run = new Run(script, target, options);
  try {
    return await run.run();
  } catch (e) {
    return {
      fileName: script.fileName,
      status: 'error',
      durationMs: 0,
      connections: [],
      message: redact(`internal runner error: ${errorMessage(e)}`, run.secrets),
    };
  }
}
