// Finding where a domain's mail goes (RFC 5321 section 5.1): its MX records by preference, the
// "null MX" that says it takes no mail (RFC 7505), and the implicit MX (its own address) when it
// has no MX at all. The resolver is injected so tests can point it at a DNS server on loopback.

export interface MxRecord {
  readonly exchange: string;
  readonly priority: number;
}

/** The part of node:dns/promises' Resolver used here. */
export interface MxResolver {
  resolveMx(domain: string): Promise<MxRecord[]>;
  resolve4(domain: string): Promise<string[]>;
  resolve6(domain: string): Promise<string[]>;
}

export type MxLookup =
  | {
      readonly ok: true;
      /** Hosts to try, lowest preference first (ties in the order DNS gave them). */
      readonly hosts: readonly MxRecord[];
      /** True when there was no MX and the domain's own address is the implicit MX. */
      readonly implicit: boolean;
    }
  | { readonly ok: false; readonly message: string };

const DOMAIN =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function validateMailDomain(domain: string): string | undefined {
  const d = domain.trim();
  if (d === '') return 'a domain such as example.com';
  if (d.includes('@')) return 'just the domain, the part after @';
  return DOMAIN.test(d) ? undefined : `${JSON.stringify(d)} is not a domain name`;
}

export async function lookupMx(domain: string, resolver: MxResolver): Promise<MxLookup> {
  const name = domain.trim().replace(/\.$/, '');
  const invalid = validateMailDomain(name);
  if (invalid) return { ok: false, message: invalid };
  let records: MxRecord[];
  try {
    records = await resolver.resolveMx(name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') {
      // No MX: the domain itself is the mail exchanger, if it has an address (RFC 5321 5.1).
      if (code === 'ENOTFOUND') return { ok: false, message: `${name} does not exist in DNS (NXDOMAIN)` };
      return implicitMx(name, resolver);
    }
    return { ok: false, message: `the MX lookup for ${name} failed: ${describe(error)}` };
  }
  if (records.length === 0) return implicitMx(name, resolver);
  if (records.some((r) => r.exchange === '' || r.exchange === '.')) {
    return { ok: false, message: `${name} publishes a null MX (RFC 7505): it accepts no mail` };
  }
  const hosts = records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.priority - b.r.priority || a.i - b.i)
    .map(({ r }) => ({ exchange: r.exchange.replace(/\.$/, ''), priority: r.priority }));
  return { ok: true, hosts, implicit: false };
}

async function implicitMx(name: string, resolver: MxResolver): Promise<MxLookup> {
  const [v4, v6] = await Promise.all([
    resolver.resolve4(name).catch(() => [] as string[]),
    resolver.resolve6(name).catch(() => [] as string[]),
  ]);
  if (v4.length === 0 && v6.length === 0) {
    return { ok: false, message: `${name} has no MX record and no address: mail to it cannot be delivered` };
  }
  return { ok: true, hosts: [{ exchange: name, priority: 0 }], implicit: true };
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}${e.message ? ` (${e.message})` : ''}` : String(error);
}
