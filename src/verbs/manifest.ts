// The package.json entries the verb table implies: written by `npm run manifest`
// (scripts/manifest.ts) and checked by the manifest unit test.
import { CATEGORY, commandId, VERBS, whenClause } from './catalog.js';

/** Command ids of palette verbs: `mailwire.imap.select`, `mailwire.smtp.sendTestMessage`, ... */
export const VERB_COMMAND = /^mailwire\.(imap|pop3|smtp)\./;

export interface ManifestCommand {
  readonly command: string;
  readonly title: string;
  readonly category: string;
}

export interface ManifestMenuItem {
  readonly command: string;
  readonly when: string;
}

export function verbCommands(): ManifestCommand[] {
  return VERBS.map((spec) => ({
    command: commandId(spec),
    title: spec.title,
    category: CATEGORY[spec.protocol],
  }));
}

export function verbPaletteEntries(): ManifestMenuItem[] {
  return VERBS.map((spec) => ({ command: commandId(spec), when: whenClause(spec) }));
}
