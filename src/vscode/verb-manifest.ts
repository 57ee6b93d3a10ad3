// The palette verb commands as the extension manifest lists them: package.json's commands are
// written from the verb table by `npm run manifest`, and unit tests check that the two agree, so
// activation can register the verbs from the manifest without loading the table. No vscode import.

/** Command ids of palette verbs, as src/verbs/manifest.ts VERB_COMMAND. */
const VERB_COMMAND = /^mailwire\.(imap|pop3|smtp)\./;

export interface ManifestVerbCommand {
  /** `mailwire.imap.select` */
  readonly command: string;
  /** `IMAP: Select...`: what an error message names. */
  readonly label: string;
}

interface ManifestCommand {
  readonly command?: unknown;
  readonly title?: unknown;
  readonly category?: unknown;
}

/** The palette verb commands in `packageJSON.contributes.commands`, in manifest order. */
export function manifestVerbCommands(packageJSON: unknown): ManifestVerbCommand[] {
  const contributes = (packageJSON as { contributes?: { commands?: unknown } } | undefined)?.contributes;
  const commands = Array.isArray(contributes?.commands) ? (contributes.commands as ManifestCommand[]) : [];
  return commands.flatMap(({ command, title, category }) =>
    typeof command === 'string' && VERB_COMMAND.test(command) && typeof title === 'string'
      ? [{ command, label: typeof category === 'string' ? `${category}: ${title}` : title }]
      : [],
  );
}
