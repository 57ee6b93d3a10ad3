// The syntax tree of a Mailwire session script (`*.smtp`, `*.pop3`, `*.imap`, `*.mailwire`).
// Every node keeps its source position so diagnostics, CodeLens "Run line" and the Test Explorer can
// point at the exact text. Lines and columns are 1-based; `endColumn` is exclusive.

export type ScriptProtocol = 'smtp' | 'pop3' | 'imap';

export interface SourceSpan {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface ScriptDiagnostic extends SourceSpan {
  readonly severity: DiagnosticSeverity;
  readonly message: string;
}

/** Text with `{{...}}` expansions, kept as parts so nothing is re-parsed at run time. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `{{name}}`: a variable from `@set` or a regex named group. */
  | { readonly kind: 'var'; readonly name: string; readonly span: SourceSpan }
  /** `{{$env NAME}}`: an environment variable (treated as secret: redacted in results). */
  | { readonly kind: 'env'; readonly name: string; readonly span: SourceSpan }
  /** `{{$secret NAME}}`: from the secret provider (always redacted). */
  | { readonly kind: 'secret'; readonly name: string; readonly span: SourceSpan };

export type Template = readonly TemplatePart[];

/** One `S:` line. */
export type Expectation =
  /** Plain text: matches a reply line that starts with the (expanded) text. Case-sensitive. */
  | { readonly kind: 'prefix'; readonly text: Template; readonly source: string; readonly span: SourceSpan }
  /** `/regex/flags`: matches a line where the regex finds a match; named groups become variables. */
  | {
      readonly kind: 'regex';
      readonly regex: RegExp;
      /** As written, e.g. `/\* (?<count>\d+) EXISTS/`. */
      readonly source: string;
      readonly groupNames: readonly string[];
      readonly span: SourceSpan;
    };

/** A message body or IMAP literal: an inline `<<<`...`>>>` block or `<<< @file path`. */
export type Payload =
  | {
      readonly kind: 'inline';
      /** One template per body line; the runner joins them with CRLF and ends the last one with CRLF. */
      readonly lines: readonly Template[];
      /** Span of the `<<<` line. */
      readonly span: SourceSpan;
      /** Line of the closing `>>>`. */
      readonly endLine: number;
    }
  | {
      readonly kind: 'file';
      /** As written: relative to the script's folder (absolute paths are used as they are). */
      readonly path: string;
      readonly span: SourceSpan;
    };

/** How a payload travels. */
export type PayloadKind = 'smtp-data' | 'imap-literal';

export interface CommandStep {
  readonly kind: 'command';
  /** The text after `C: `, sent exactly after expansion (plus the literal size for IMAP literals). */
  readonly text: Template;
  /** The text as written, for display (secrets are never expanded into it). */
  readonly source: string;
  readonly span: SourceSpan;
  /**
   * `S:` lines about the reply to this line. When a payload follows, these are about the
   * continuation request (`354`, `+`), and `payload.expectations` are about the final reply.
   */
  readonly expectations: readonly Expectation[];
  readonly payload?: {
    readonly kind: PayloadKind;
    readonly body: Payload;
    readonly expectations: readonly Expectation[];
  };
}

export interface SetStep {
  readonly kind: 'set';
  readonly name: string;
  readonly value: Template;
  readonly span: SourceSpan;
}

/** A setting that applies from its line on (to later connections too). */
export type SettingStep =
  | { readonly kind: 'timeout'; readonly ms: number; readonly span: SourceSpan }
  | { readonly kind: 'tls'; readonly acceptUnverified: boolean; readonly span: SourceSpan }
  | { readonly kind: 'strict'; readonly strict: boolean; readonly span: SourceSpan };

export type Step = CommandStep | SetStep | SettingStep;

/** One `@connect` block: a session from its `@connect` to the next one or the end of the file. */
export interface Connection {
  /** The URL template, e.g. `imap://127.0.0.1:1143` (may hold `{{...}}` after the scheme). */
  readonly url: Template;
  readonly urlSource: string;
  readonly protocol: ScriptProtocol;
  /** `smtps://`, `pop3s://`, `imaps://`: TLS from the first byte. */
  readonly implicitTls: boolean;
  readonly span: SourceSpan;
  /** `S:` lines before the first `C:`: about the server greeting. */
  readonly greeting: readonly Expectation[];
  readonly steps: readonly Step[];
}

export interface Script {
  readonly fileName: string;
  /** Settings and `@set` lines before the first `@connect`. */
  readonly preamble: readonly (SetStep | SettingStep)[];
  readonly connections: readonly Connection[];
}

/** Settings in effect while running; `@timeout`, `@tls` and `@strict` change them. */
export interface ScriptSettings {
  readonly timeoutMs: number;
  readonly acceptUnverified: boolean;
  readonly strict: boolean;
}

export const DEFAULT_SETTINGS: ScriptSettings = { timeoutMs: 30_000, acceptUnverified: false, strict: false };
