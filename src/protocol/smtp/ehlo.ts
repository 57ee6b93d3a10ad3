// EHLO reply keywords (RFC 5321 section 4.1.1.1) parsed into a typed view.

export interface EhloCapabilities {
  /** The server's name from the first line. */
  readonly domain: string;
  /** The rest of the first line (greeting text). */
  readonly greeting: string;
  /**
   * SIZE (RFC 1870): undefined when not advertised, null when advertised without a number,
   * else the maximum message size (0 means "no fixed maximum").
   */
  readonly size: number | null | undefined;
  readonly pipelining: boolean;
  readonly eightBitMime: boolean;
  readonly smtpUtf8: boolean;
  readonly startTls: boolean;
  readonly chunking: boolean;
  readonly binaryMime: boolean;
  readonly dsn: boolean;
  readonly enhancedStatusCodes: boolean;
  readonly requireTls: boolean;
  /** AUTH mechanisms, upper case, from `AUTH a b` and the obsolete `AUTH=a b` form together. */
  readonly auth: readonly string[];
  /** True when the server used the obsolete `AUTH=` form. */
  readonly authObsoleteForm: boolean;
  /** Keywords not listed above (upper case) with their parameters. */
  readonly other: ReadonlyMap<string, readonly string[]>;
  /** Lines that are not keyword lines (e.g. empty), kept so nothing is hidden. */
  readonly malformed: readonly string[];
}

const FLAGS = {
  PIPELINING: 'pipelining',
  '8BITMIME': 'eightBitMime',
  SMTPUTF8: 'smtpUtf8',
  STARTTLS: 'startTls',
  CHUNKING: 'chunking',
  BINARYMIME: 'binaryMime',
  DSN: 'dsn',
  ENHANCEDSTATUSCODES: 'enhancedStatusCodes',
  REQUIRETLS: 'requireTls',
} as const;

type Flag = (typeof FLAGS)[keyof typeof FLAGS];

// RFC 5321 ehlo-keyword: alphanumeric then alphanumerics or hyphens.
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Parses the text lines of a 250 EHLO reply. */
export function parseEhlo(lines: readonly string[]): EhloCapabilities {
  const [first = '', ...rest] = lines;
  const sp = first.indexOf(' ');
  const flags: Record<Flag, boolean> = {
    pipelining: false,
    eightBitMime: false,
    smtpUtf8: false,
    startTls: false,
    chunking: false,
    binaryMime: false,
    dsn: false,
    enhancedStatusCodes: false,
    requireTls: false,
  };
  let size: number | null | undefined;
  const auth: string[] = [];
  let authObsoleteForm = false;
  const other = new Map<string, string[]>();
  const malformed: string[] = [];

  for (const line of rest) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    let keyword = (words.shift() ?? '').toUpperCase();
    if (keyword.startsWith('AUTH=')) {
      // Obsolete form used by old Outlook clients' servers: `AUTH=LOGIN PLAIN`.
      authObsoleteForm = true;
      words.unshift(keyword.slice(5));
      keyword = 'AUTH';
    }
    if (!KEYWORD.test(keyword)) {
      malformed.push(line);
      continue;
    }
    if (keyword in FLAGS) {
      flags[FLAGS[keyword as keyof typeof FLAGS]] = true;
      if (words.length > 0) other.set(keyword, words);
    } else if (keyword === 'SIZE') {
      const n = words[0];
      size = n !== undefined && /^\d{1,15}$/.test(n) ? Number(n) : null;
    } else if (keyword === 'AUTH') {
      for (const w of words) {
        const mech = w.toUpperCase();
        if (mech !== '' && !auth.includes(mech)) auth.push(mech);
      }
    } else {
      other.set(keyword, words);
    }
  }
  return {
    domain: sp < 0 ? first : first.slice(0, sp),
    greeting: sp < 0 ? '' : first.slice(sp + 1),
    size,
    ...flags,
    auth,
    authObsoleteForm,
    other,
    malformed,
  };
}
