// `{{name}}`, `{{$env NAME}}` and `{{$secret NAME}}` expansion at run time.
//
// Values from `$env` and `$secret` are treated as secrets: every expansion returns the secret
// values it used, and a variable set from a secret stays secret, so the runner can tell the
// transcript which bytes to redact and keep them out of results and reports. (`$env` is included
// because environment variables are where the CLI keeps passwords; a harmless `$env` value is
// redacted too, which is the safe side.)

import type { SourceSpan, Template } from './ast.js';

/** Where `{{$secret NAME}}` comes from: VS Code's secret store in the editor, the environment in the CLI. */
export interface SecretProvider {
  /** The secret's value, or undefined when there is none. May reject with a readable reason. */
  get(name: string): Promise<string | undefined>;
}

/** The mark that replaces a secret in results (same text as the transcript's redaction mark). */
export const REDACTED = '<redacted>';

/** A variable's value and the secret values it contains. */
export interface VariableValue {
  readonly value: string;
  readonly secrets: readonly string[];
}

export interface ExpansionContext {
  readonly variables: Map<string, VariableValue>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets?: SecretProvider;
}

export interface Expanded {
  readonly text: string;
  /** Secret values that appear in `text` (non-empty, no duplicates). */
  readonly secrets: readonly string[];
}

/** An expansion that cannot be done; `span` points at the `{{...}}`. The message never holds a secret. */
export class ExpansionError extends Error {
  constructor(
    message: string,
    readonly span: SourceSpan,
  ) {
    super(message);
    this.name = 'ExpansionError';
  }
}

/** Expands a template. Rejects with `ExpansionError` for an unset variable, env var or secret. */
export async function expand(template: Template, ctx: ExpansionContext): Promise<Expanded> {
  let text = '';
  const secrets = new Set<string>();
  for (const part of template) {
    switch (part.kind) {
      case 'text':
        text += part.text;
        break;
      case 'var': {
        const v = ctx.variables.get(part.name);
        if (!v) {
          throw new ExpansionError(
            `undefined variable {{${part.name}}} at line ${part.span.line} (set by @set or a named group)`,
            part.span,
          );
        }
        text += v.value;
        v.secrets.forEach((s) => secrets.add(s));
        break;
      }
      case 'env': {
        const v = ctx.env[part.name];
        if (v === undefined) {
          throw new ExpansionError(
            `environment variable ${part.name} is not set (line ${part.span.line})`,
            part.span,
          );
        }
        text += v;
        if (v !== '') secrets.add(v);
        break;
      }
      case 'secret': {
        if (!ctx.secrets) {
          throw new ExpansionError(
            `no secret store to read {{$secret ${part.name}}} (line ${part.span.line})`,
            part.span,
          );
        }
        let v: string | undefined;
        try {
          v = await ctx.secrets.get(part.name);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          throw new ExpansionError(
            `could not read secret ${part.name} (line ${part.span.line}): ${why}`,
            part.span,
          );
        }
        if (v === undefined) {
          throw new ExpansionError(`secret ${part.name} is not set (line ${part.span.line})`, part.span);
        }
        text += v;
        if (v !== '') secrets.add(v);
        break;
      }
    }
  }
  return { text, secrets: [...secrets] };
}

/** Replaces every occurrence of each secret with `<redacted>` (longest secrets first). */
export function redact(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of list) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * The CLI's secret provider: `{{$secret name}}` reads the environment variable
 * `MAILWIRE_SECRET_NAME` (upper case, characters other than letters and digits become `_`).
 */
export function envSecretProvider(env: Readonly<Record<string, string | undefined>>): SecretProvider {
  return {
    get: (name) => Promise.resolve(env[secretEnvName(name)]),
  };
}

export function secretEnvName(name: string): string {
  return 'MAILWIRE_SECRET_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
