// Parser for session scripts. Line-oriented: each line is a comment, a directive (`@...`), a client
// line (`C:`), an expectation (`S:`), or part of a `<<<`...`>>>` payload block. It never throws:
// every mistake becomes a diagnostic with a position, and the broken line is left out of the tree.

import type {
  CommandStep,
  Connection,
  Expectation,
  Payload,
  PayloadKind,
  Script,
  ScriptDiagnostic,
  ScriptProtocol,
  SetStep,
  SettingStep,
  SourceSpan,
  Step,
  Template,
  TemplatePart,
} from './ast.js';
import { parseConnectUrl, schemeInfo, schemeOf, KNOWN_SCHEMES } from './url.js';

export interface ParseOptions {
  readonly fileName: string;
  /** The protocol of a `*.smtp`, `*.pop3` or `*.imap` file: lets `@connect host:port` omit the scheme. */
  readonly defaultProtocol?: ScriptProtocol;
}

export interface ParseResult {
  readonly script: Script;
  readonly diagnostics: ScriptDiagnostic[];
}

/** The protocol a file name implies (`x.imap` → imap), or undefined (`*.mailwire`, others). */
export function protocolFromFileName(fileName: string): ScriptProtocol | undefined {
  const m = /\.(smtp|pop3|imap)$/i.exec(fileName);
  return m?.[1] ? (m[1].toLowerCase() as ScriptProtocol) : undefined;
}

export function hasErrors(diagnostics: readonly ScriptDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^[^\s{}]+$/;
const REGEX_FLAGS_ALLOWED = new Set(['i', 'm', 's', 'u', 'v', 'd']);

// Mutable shapes used while building; they are assignable to the readonly AST types.
interface CommandBuilder {
  kind: 'command';
  text: Template;
  source: string;
  span: SourceSpan;
  expectations: Expectation[];
  payload?: { kind: PayloadKind; body: Payload; expectations: Expectation[] };
  /** IMAP: the line ends in `{}`, so a block must follow. */
  wantsLiteral: boolean;
}
interface ConnectionBuilder {
  url: Template;
  urlSource: string;
  protocol: ScriptProtocol;
  implicitTls: boolean;
  span: SourceSpan;
  greeting: Expectation[];
  steps: Step[];
  lastCommand?: CommandBuilder;
  /** The `@connect` line was wrong: its lines are still read (no cascade of errors) but dropped. */
  dead?: boolean;
}
interface OpenBlock {
  startLine: number;
  span: SourceSpan;
  lines: Template[];
  command: CommandBuilder | undefined;
}

type DirectiveHandler = (p: Parser, args: string, argsColumn: number, span: SourceSpan) => void;

/** The directive table: name → handler. */
const DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  connect: (p, args, col, span) => p.connect(args, col, span),
  set: (p, args, col, span) => p.set(args, col, span),
  timeout: (p, args, col, span) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(args);
    const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000) : NaN;
    if (!m || !(ms >= 1)) {
      p.error(
        span.line,
        col,
        col + Math.max(args.length, 1),
        `invalid @timeout ${JSON.stringify(args)} (write e.g. 500ms, 5s or 2m)`,
      );
      return;
    }
    p.setting({ kind: 'timeout', ms: Math.round(ms), span });
  },
  tls: (p, args, col, span) => {
    if (args !== 'accept-unverified' && args !== 'verify') {
      p.error(
        span.line,
        col,
        col + Math.max(args.length, 1),
        `@tls takes accept-unverified or verify, got ${JSON.stringify(args)}`,
      );
      return;
    }
    p.setting({ kind: 'tls', acceptUnverified: args === 'accept-unverified', span });
  },
  strict: (p, args, col, span) => {
    if (args !== 'on' && args !== 'off') {
      p.error(
        span.line,
        col,
        col + Math.max(args.length, 1),
        `@strict takes on or off, got ${JSON.stringify(args)}`,
      );
      return;
    }
    p.setting({ kind: 'strict', strict: args === 'on', span });
  },
};

class Parser {
  readonly diagnostics: ScriptDiagnostic[] = [];
  readonly preamble: (SetStep | SettingStep)[] = [];
  readonly connections: ConnectionBuilder[] = [];
  private current: ConnectionBuilder | undefined;
  private block: OpenBlock | undefined;
  /** Variables known so far in file order (from `@set` and regex named groups). */
  private readonly defined = new Set<string>();

  constructor(private readonly options: ParseOptions) {}

  error(line: number, column: number, endColumn: number, message: string): void {
    this.diagnostics.push({ line, column, endColumn, severity: 'error', message });
  }
  warning(line: number, column: number, endColumn: number, message: string): void {
    this.diagnostics.push({ line, column, endColumn, severity: 'warning', message });
  }

  parse(text: string): void {
    // A byte order mark is not part of the first line (editors do not show it as a column).
    const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r?\n/);
    // A final newline does not make an extra empty line.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((raw, i) => this.line(raw, i + 1));
    if (this.block) {
      const b = this.block;
      this.error(
        b.span.line,
        b.span.column,
        b.span.endColumn,
        `unterminated <<< block opened at line ${b.startLine}`,
      );
      this.block = undefined;
    }
    this.finishCommand();
  }

  private line(raw: string, lineNo: number): void {
    if (this.block) {
      if (raw.trimEnd() === '>>>') this.closeBlock(lineNo);
      else this.block.lines.push(this.template(raw, lineNo, 1));
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    const t = raw.trim();
    const col = indent + 1;
    const fullSpan: SourceSpan = { line: lineNo, column: col, endColumn: indent + t.length + 1 };
    if (t === '' || t.startsWith('#')) return;
    if (t.startsWith('C:')) return this.clientLine(raw.slice(indent + 2), lineNo, col + 2, fullSpan);
    if (t.startsWith('S:')) return this.serverLine(raw.slice(indent + 2), lineNo, col + 2, fullSpan);
    if (t === '<<<' || t.startsWith('<<< ')) return this.openBlock(t, lineNo, fullSpan);
    if (t === '>>>') return this.error(lineNo, col, col + 3, '>>> without an open <<< block');
    if (t.startsWith('@')) return this.directive(t, lineNo, col, fullSpan);
    if (/^[cs]:/.test(t)) {
      return this.error(
        lineNo,
        col,
        col + 2,
        `unknown line start ${t.slice(0, 2)} (did you mean ${t.slice(0, 2).toUpperCase()}?)`,
      );
    }
    this.error(
      lineNo,
      col,
      fullSpan.endColumn,
      'unrecognized line: expected C:, S:, an @directive, a # comment or a <<< block',
    );
  }

  private directive(t: string, lineNo: number, col: number, span: SourceSpan): void {
    const m = /^@(\S*)\s*(.*)$/.exec(t);
    const name = m?.[1] ?? '';
    const args = (m?.[2] ?? '').trim();
    const argsColumn = col + t.length - (m?.[2] ?? '').length;
    const handler = Object.hasOwn(DIRECTIVES, name) ? DIRECTIVES[name] : undefined;
    if (!handler) {
      const suggestion = closest(name, Object.keys(DIRECTIVES));
      const hint = suggestion
        ? ` (did you mean @${suggestion}?)`
        : ` (known: ${Object.keys(DIRECTIVES)
            .map((d) => '@' + d)
            .join(', ')})`;
      this.error(lineNo, col, col + 1 + name.length, `unknown directive @${name}${hint}`);
      return;
    }
    handler(this, args, argsColumn, span);
  }

  connect(args: string, col: number, span: SourceSpan): void {
    this.finishCommand();
    if (args === '') {
      this.error(
        span.line,
        span.column,
        span.endColumn,
        '@connect needs a URL, e.g. @connect imap://127.0.0.1:1143',
      );
      return this.deadConnection(span);
    }
    const url = this.template(args, span.line, col);
    const scheme = schemeOf(args);
    let protocol = this.options.defaultProtocol;
    let implicitTls = false;
    if (scheme !== undefined) {
      const info = schemeInfo(scheme);
      if (!info) {
        this.error(
          span.line,
          col,
          col + scheme.length,
          `unknown scheme ${scheme}:// (use one of ${KNOWN_SCHEMES.map((s) => s + '://').join(', ')})`,
        );
        return this.deadConnection(span);
      }
      protocol = info.protocol;
      implicitTls = info.implicitTls;
      if (this.options.defaultProtocol && info.protocol !== this.options.defaultProtocol) {
        this.warning(
          span.line,
          col,
          col + scheme.length,
          `${scheme}:// in a .${this.options.defaultProtocol} file`,
        );
      }
    } else if (!protocol) {
      this.error(
        span.line,
        col,
        col + args.length,
        `@connect ${args} has no scheme (write smtp://, pop3:// or imap:// in a .mailwire file)`,
      );
      return this.deadConnection(span);
    }
    // Without expansions the URL can be checked completely now.
    if (url.every((p) => p.kind === 'text')) {
      const parsed = parseConnectUrl(args, protocol);
      if (!parsed.ok) {
        this.error(span.line, col, col + args.length, parsed.error);
        return this.deadConnection(span, protocol);
      }
    }
    this.current = { url, urlSource: args, protocol, implicitTls, span, greeting: [], steps: [] };
    this.connections.push(this.current);
  }

  /** After a broken `@connect`: read the block's lines without reporting them as out of place. */
  private deadConnection(span: SourceSpan, protocol?: ScriptProtocol): void {
    this.current = {
      url: [],
      urlSource: '',
      protocol: protocol ?? 'imap',
      implicitTls: false,
      span,
      greeting: [],
      steps: [],
      dead: protocol === undefined,
    };
  }

  set(args: string, col: number, span: SourceSpan): void {
    const m = /^(\S+)(?:\s+(.*))?$/.exec(args);
    const name = m?.[1] ?? '';
    if (!VAR_NAME.test(name)) {
      const what =
        name === ''
          ? '@set needs a name and a value, e.g. @set user alice'
          : `invalid variable name ${JSON.stringify(name)} (letters, digits and _; not starting with a digit)`;
      this.error(span.line, col, col + Math.max(name.length, 1), what);
      return;
    }
    const valueText = m?.[2] ?? '';
    const valueColumn = col + args.length - valueText.length;
    const value = this.template(valueText, span.line, valueColumn);
    this.defined.add(name);
    this.pushStep({ kind: 'set', name, value, span });
  }

  setting(step: SettingStep): void {
    this.pushStep(step);
  }

  private pushStep(step: SetStep | SettingStep): void {
    if (this.current) this.current.steps.push(step);
    else this.preamble.push(step);
  }

  private clientLine(rest: string, lineNo: number, col: number, span: SourceSpan): void {
    // One space after `C:` separates; everything after it is sent exactly.
    const skip = rest.startsWith(' ') ? 1 : 0;
    const text = rest.slice(skip);
    if (!this.current) {
      this.error(lineNo, span.column, span.endColumn, 'C: before any @connect');
      return;
    }
    if (text.trim() === '') {
      this.error(lineNo, span.column, span.endColumn, 'C: line has no command');
      return;
    }
    if (/[ \t]$/.test(text)) {
      const end = col + skip + text.length;
      const trimmed = text.trimEnd().length;
      this.warning(lineNo, col + skip + trimmed, end, 'trailing spaces are sent as written');
    }
    this.finishCommand();
    const wantsLiteral = this.current.protocol === 'imap' && !this.current.dead && /\{\}$/.test(text);
    const command: CommandBuilder = {
      kind: 'command',
      text: this.template(text, lineNo, col + skip),
      source: text,
      span,
      expectations: [],
      wantsLiteral,
    };
    this.current.steps.push(command);
    this.current.lastCommand = command;
  }

  private serverLine(rest: string, lineNo: number, col: number, span: SourceSpan): void {
    // Spaces around an expectation are layout, not content (editors strip trailing ones anyway).
    const text = rest.trim();
    const textCol = col + rest.length - rest.trimStart().length;
    if (!this.current) {
      this.error(lineNo, span.column, span.endColumn, 'S: before any @connect');
      return;
    }
    const expectation = this.expectation(text, lineNo, textCol, span);
    if (!expectation) return;
    const cmd = this.current.lastCommand;
    if (!cmd) this.current.greeting.push(expectation);
    else if (cmd.payload) cmd.payload.expectations.push(expectation);
    else cmd.expectations.push(expectation);
  }

  private expectation(
    text: string,
    lineNo: number,
    col: number,
    lineSpan: SourceSpan,
  ): Expectation | undefined {
    const span: SourceSpan = { line: lineNo, column: col, endColumn: col + Math.max(text.length, 1) };
    if (text.startsWith('/')) {
      const m = /^\/(.*)\/([A-Za-z]*)$/.exec(text);
      if (!m || m[1] === '') {
        this.error(
          lineNo,
          col,
          span.endColumn,
          `regular expression ${text} has no closing / (write /pattern/flags)`,
        );
        return undefined;
      }
      const source = m[1] ?? '';
      const flags = m[2] ?? '';
      const bad = [...flags].find((f) => !REGEX_FLAGS_ALLOWED.has(f));
      if (bad !== undefined) {
        const why = bad === 'g' || bad === 'y' ? ': each S: line matches one reply line' : '';
        this.error(
          lineNo,
          col + text.length - flags.length,
          span.endColumn,
          `flag ${bad} is not allowed in ${text}${why}`,
        );
        return undefined;
      }
      let regex: RegExp;
      try {
        regex = new RegExp(source, flags);
      } catch (e) {
        // V8 repeats the pattern in its message; keep only the reason.
        const msg = (e instanceof Error ? e.message : String(e)).replace(
          /^Invalid regular expression: \/.*\/[a-z]*: /,
          '',
        );
        this.error(lineNo, col, span.endColumn, `invalid regular expression /${source}/: ${msg}`);
        return undefined;
      }
      const groupNames = [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((g) => g[1] ?? '');
      for (const g of groupNames) {
        if (!VAR_NAME.test(g)) {
          this.error(
            lineNo,
            col,
            span.endColumn,
            `named group ${g} cannot be a variable name (letters, digits and _)`,
          );
          return undefined;
        }
        this.defined.add(g);
      }
      return { kind: 'regex', regex, source: text, groupNames, span };
    }
    if (text === '') {
      this.warning(lineNo, lineSpan.column, lineSpan.endColumn, 'empty S: line matches any reply line');
    }
    return { kind: 'prefix', text: this.template(text, lineNo, col), source: text, span };
  }

  private openBlock(t: string, lineNo: number, span: SourceSpan): void {
    const command = this.current?.lastCommand;
    if (!this.current) {
      this.error(lineNo, span.column, span.endColumn, '<<< block before any @connect');
    } else if (!command) {
      this.error(lineNo, span.column, span.endColumn, '<<< block without a C: line before it');
    } else if (command.payload) {
      this.error(
        lineNo,
        span.column,
        span.endColumn,
        `second <<< block for the C: line at line ${command.span.line} (one payload per command)`,
      );
    } else if (this.current.dead) {
      // Protocol unknown: no protocol-specific checks.
    } else if (this.current.protocol === 'pop3') {
      this.error(
        lineNo,
        span.column,
        span.endColumn,
        '<<< block in a POP3 connection: POP3 has no client message bodies',
      );
    } else if (this.current.protocol === 'smtp' && !/^DATA\s*$/i.test(command.source)) {
      this.error(
        lineNo,
        span.column,
        span.endColumn,
        `<<< block after C: ${command.source}: in SMTP a message body follows C: DATA`,
      );
    }
    const valid =
      this.current !== undefined &&
      command !== undefined &&
      !command.payload &&
      this.diagnosticsAt(lineNo) === 0;
    const target = valid ? command : undefined;
    if (t === '<<<') {
      this.block = { startLine: lineNo, span, lines: [], command: target };
      return;
    }
    const m = /^<<<\s+@file\s+(.+)$/.exec(t);
    if (!m?.[1]) {
      this.error(
        lineNo,
        span.column,
        span.endColumn,
        'expected <<< alone (then the body and >>>) or <<< @file path',
      );
      return;
    }
    if (target) this.attachPayload(target, { kind: 'file', path: m[1].trim(), span });
  }

  private closeBlock(lineNo: number): void {
    const b = this.block;
    this.block = undefined;
    if (!b?.command) return;
    this.attachPayload(b.command, { kind: 'inline', lines: b.lines, span: b.span, endLine: lineNo });
  }

  private attachPayload(command: CommandBuilder, body: Payload): void {
    const protocol = this.current?.protocol;
    const kind: PayloadKind = protocol === 'smtp' ? 'smtp-data' : 'imap-literal';
    command.payload = { kind, body, expectations: [] };
  }

  /** Closes the last command: an IMAP `{}` with no block after it is an error. */
  private finishCommand(): void {
    const cmd = this.current?.lastCommand;
    if (cmd && cmd.wantsLiteral && !cmd.payload) {
      const at = cmd.source.lastIndexOf('{');
      this.error(
        cmd.span.line,
        cmd.span.column + 3 + at,
        cmd.span.endColumn,
        `C: line ends in ${cmd.source.slice(at)} but no <<< block follows`,
      );
      cmd.wantsLiteral = false;
    }
  }

  private diagnosticsAt(line: number): number {
    return this.diagnostics.filter((d) => d.line === line && d.severity === 'error').length;
  }

  /** Splits text into literal parts and `{{...}}` expansions; checks names known so far. */
  template(text: string, lineNo: number, col: number): Template {
    const parts: TemplatePart[] = [];
    let pos = 0;
    while (pos < text.length) {
      const open = text.indexOf('{{', pos);
      if (open < 0) break;
      const close = text.indexOf('}}', open + 2);
      if (close < 0) {
        this.error(lineNo, col + open, col + text.length, `unclosed {{ (expected }} after it)`);
        break;
      }
      if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
      const inner = text.slice(open + 2, close).trim();
      const span: SourceSpan = { line: lineNo, column: col + open, endColumn: col + close + 2 };
      const written = text.slice(open, close + 2);
      const part = this.expansion(inner, written, span);
      if (part) parts.push(part);
      pos = close + 2;
    }
    if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) });
    return parts;
  }

  private expansion(inner: string, written: string, span: SourceSpan): TemplatePart | undefined {
    const e = (message: string): undefined => {
      this.error(span.line, span.column, span.endColumn, message);
      return undefined;
    };
    if (inner.startsWith('$')) {
      const m = /^\$(\S+)(?:\s+(.*))?$/.exec(inner);
      const fn = m?.[1] ?? '';
      const arg = (m?.[2] ?? '').trim();
      if (fn !== 'env' && fn !== 'secret') {
        return e(`unknown expansion ${written} (use {{$env NAME}} or {{$secret NAME}})`);
      }
      if (arg === '') return e(`${written} needs a name, e.g. {{$${fn} MAILWIRE_PASSWORD}}`);
      if (fn === 'env') {
        if (!ENV_NAME.test(arg)) return e(`invalid environment variable name in ${written}`);
        return { kind: 'env', name: arg, span };
      }
      if (!SECRET_NAME.test(arg)) return e(`invalid secret name in ${written} (no spaces or braces)`);
      return { kind: 'secret', name: arg, span };
    }
    if (!VAR_NAME.test(inner)) {
      return e(
        `invalid variable ${written} (a name of letters, digits and _, or {{$env NAME}} / {{$secret NAME}})`,
      );
    }
    if (!this.defined.has(inner)) {
      // Still kept in the tree: the runner reports it again with the line if it is really unset.
      this.error(
        span.line,
        span.column,
        span.endColumn,
        `undefined variable {{${inner}}} (set by @set or a named group)`,
      );
    }
    return { kind: 'var', name: inner, span };
  }
}

/** Parses a script. Never throws; the tree holds only the lines that parsed. */
export function parseScript(text: string, options: ParseOptions): ParseResult {
  const p = new Parser(options);
  try {
    p.parse(text);
  } catch (e) {
    // A bug here must not take the editor down; report it on line 1.
    p.error(1, 1, 2, `internal parser error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const connections: Connection[] = p.connections.map((c) => ({
    url: c.url,
    urlSource: c.urlSource,
    protocol: c.protocol,
    implicitTls: c.implicitTls,
    span: c.span,
    greeting: c.greeting,
    steps: c.steps.map((s) => (s.kind === 'command' ? stripBuilder(s as CommandBuilder) : s)),
  }));
  p.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    script: { fileName: options.fileName, preamble: p.preamble, connections },
    diagnostics: p.diagnostics,
  };
}

function stripBuilder(c: CommandBuilder): CommandStep {
  const { wantsLiteral: _w, ...rest } = c;
  return rest;
}

/** The closest name within edit distance 2, for "did you mean" hints. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
