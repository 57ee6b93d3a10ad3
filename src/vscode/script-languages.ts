// The script languages and their file extensions (one place for the adapters and the manifest test).
export const SCRIPT_LANGUAGES = [
  'mailwire-imap',
  'mailwire-pop3',
  'mailwire-smtp',
  'mailwire-script',
] as const;

export const SCRIPT_FILE = /\.(imap|pop3|smtp|mailwire)$/i;

export const SCRIPT_GLOB = '**/*.{imap,pop3,smtp,mailwire}';

/** A document is a session script by language or by file name (a file opened before the language was known). */
export function isScriptDocument(doc: { readonly languageId: string; readonly fileName: string }): boolean {
  return (SCRIPT_LANGUAGES as readonly string[]).includes(doc.languageId) || SCRIPT_FILE.test(doc.fileName);
}
