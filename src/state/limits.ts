// Size limits of the state model: a hostile or huge mailbox must not make the model or the view
// hold unbounded data. What a limit leaves out is counted and shown, never silently lost.

export const STATE_LIMITS = {
  /** Commands kept with their line, latency and outcome (older ones are counted only). */
  commands: 500,
  /** Characters of a command line or reply text kept. */
  lineChars: 300,
  /** Warnings kept. */
  warnings: 50,
  /** Mailboxes kept from LIST/LSUB/STATUS. */
  mailboxes: 10_000,
  /** Known IMAP message rows kept in the model. */
  messages: 200_000,
  /** Message rows put into one snapshot (the lowest sequence numbers first). */
  snapshotMessages: 2_000,
  /** POP3 messages kept from LIST/UIDL. */
  pop3Messages: 200_000,
  /** Earlier SMTP transactions kept. */
  transactions: 20,
  /** Flags or capabilities kept per list. */
  listItems: 1_000,
} as const;

/** Shortens text for display, saying how much was cut. */
export function clip(text: string, max: number = STATE_LIMITS.lineChars): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}
