// A tiny authoritative DNS server on loopback (UDP) for MX lookups in tests: enough of RFC 1035
// to answer MX, A and AAAA questions from a table, NXDOMAIN for unknown names.
import { createSocket, type Socket } from 'node:dgram';

export interface Zone {
  /** name (lower case, no trailing dot) -> records */
  readonly [name: string]: {
    readonly mx?: ReadonlyArray<readonly [number, string]>;
    readonly a?: readonly string[];
    readonly aaaa?: readonly string[];
  };
}

export interface DnsServer {
  readonly port: number;
  readonly queries: string[];
  close(): Promise<void>;
}

const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;

function encodeName(name: string): Buffer {
  const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function readQuestion(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (msg[at] !== 0) {
    const len = msg[at] ?? 0;
    labels.push(msg.toString('ascii', at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at), end: at + 4 };
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = readQuestion(msg);
    queries.push(`${q.name} ${q.type}`);
    const entry = zone[q.name];
    const answers: Buffer[] = [];
    const rr = (type: number, data: Buffer) => {
      const head = Buffer.alloc(10);
      head.writeUInt16BE(type, 0);
      head.writeUInt16BE(1, 2); // IN
      head.writeUInt32BE(60, 4);
      head.writeUInt16BE(data.length, 8);
      answers.push(Buffer.concat([Buffer.from([0xc0, 0x0c]), head, data]));
    };
    if (entry && q.type === TYPE.MX)
      for (const [pref, host] of entry.mx ?? []) {
        const p = Buffer.alloc(2);
        p.writeUInt16BE(pref);
        rr(TYPE.MX, Buffer.concat([p, encodeName(host)]));
      }
    if (entry && q.type === TYPE.A)
      for (const ip of entry.a ?? []) rr(TYPE.A, Buffer.from(ip.split('.').map(Number)));
    if (entry && q.type === TYPE.AAAA) for (const ip of entry.aaaa ?? []) rr(TYPE.AAAA, ipv6Bytes(ip));
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400 | (entry ? 0 : 3), 2); // response, authoritative; NXDOMAIN if unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, msg.subarray(12, q.end), ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
