// CAPA response lines (RFC 2449 section 6) parsed into a typed view.

export interface Pop3Capabilities {
  readonly top: boolean;
  readonly user: boolean;
  /** SASL mechanisms, upper case. */
  readonly sasl: readonly string[];
  readonly respCodes: boolean;
  readonly authRespCode: boolean;
  readonly pipelining: boolean;
  readonly uidl: boolean;
  readonly stls: boolean;
  readonly utf8: boolean;
  /** LOGIN-DELAY seconds; null when advertised without a valid number. */
  readonly loginDelay?: number | null;
  /** EXPIRE argument as written (`NEVER`, a number of days, optionally `USER`). */
  readonly expire?: string;
  readonly implementation?: string;
  /** Other capabilities (upper case) with their arguments. */
  readonly other: ReadonlyMap<string, readonly string[]>;
}

export function parseCapa(lines: readonly string[]): Pop3Capabilities {
  const flags = {
    top: false,
    user: false,
    respCodes: false,
    authRespCode: false,
    pipelining: false,
    uidl: false,
    stls: false,
    utf8: false,
  };
  const sasl: string[] = [];
  const other = new Map<string, string[]>();
  let loginDelay: number | null | undefined;
  let expire: string | undefined;
  let implementation: string | undefined;
  for (const line of lines) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    const name = (words.shift() ?? '').toUpperCase();
    if (name === '') continue;
    switch (name) {
      case 'TOP':
        flags.top = true;
        break;
      case 'USER':
        flags.user = true;
        break;
      case 'RESP-CODES':
        flags.respCodes = true;
        break;
      case 'AUTH-RESP-CODE':
        flags.authRespCode = true;
        break;
      case 'PIPELINING':
        flags.pipelining = true;
        break;
      case 'UIDL':
        flags.uidl = true;
        break;
      case 'STLS':
        flags.stls = true;
        break;
      case 'UTF8':
        flags.utf8 = true;
        other.set(name, words);
        break;
      case 'SASL':
        for (const w of words) if (!sasl.includes(w.toUpperCase())) sasl.push(w.toUpperCase());
        break;
      case 'LOGIN-DELAY': {
        const n = words[0];
        loginDelay = n !== undefined && /^\d{1,9}$/.test(n) ? Number(n) : null;
        break;
      }
      case 'EXPIRE':
        expire = words.join(' ');
        break;
      case 'IMPLEMENTATION':
        implementation = line.trim().slice(name.length).trim();
        break;
      default:
        other.set(name, words);
    }
  }
  return {
    ...flags,
    sasl,
    other,
    ...(loginDelay !== undefined ? { loginDelay } : {}),
    ...(expire !== undefined ? { expire } : {}),
    ...(implementation !== undefined ? { implementation } : {}),
  };
}
