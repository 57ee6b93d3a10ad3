// MX lookups through node's real DNS resolver, pointed at a DNS server on loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { lookupMx, validateMailDomain } from '../../../src/transport/mx.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';

let dns: DnsServer;
let resolver: Resolver;

before(async () => {
  dns = await startDnsServer({
    'example.test': {
      mx: [
        [20, 'backup.example.test'],
        [10, 'mx1.example.test'],
        [10, 'mx2.example.test'],
      ],
    },
    'nomx.example.test': { a: ['127.0.0.1'] },
    'nothing.example.test': {},
    'nullmx.example.test': { mx: [[0, '']] },
  });
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dns.port}`]);
});
after(() => dns.close());

describe('lookupMx', () => {
  test('orders exchangers by preference, keeping DNS order among equals', async () => {
    const r = await lookupMx('Example.test', resolver);
    assert.deepEqual(r, {
      ok: true,
      implicit: false,
      hosts: [
        { exchange: 'mx1.example.test', priority: 10 },
        { exchange: 'mx2.example.test', priority: 10 },
        { exchange: 'backup.example.test', priority: 20 },
      ],
    });
    assert.ok(dns.queries.includes('example.test 15'), 'an MX question went to the server');
  });

  test('no MX but an address: the domain itself is the implicit MX', async () => {
    assert.deepEqual(await lookupMx('nomx.example.test', resolver), {
      ok: true,
      implicit: true,
      hosts: [{ exchange: 'nomx.example.test', priority: 0 }],
    });
  });

  test('a null MX, a name without records and a name that does not exist each say so', async () => {
    const nullMx = await lookupMx('nullmx.example.test', resolver);
    assert.equal(nullMx.ok, false);
    assert.match(nullMx.ok ? '' : nullMx.message, /null MX \(RFC 7505\): it accepts no mail/);
    const nothing = await lookupMx('nothing.example.test', resolver);
    assert.match(nothing.ok ? '' : nothing.message, /no MX record and no address/);
    const missing = await lookupMx('missing.example.test', resolver);
    assert.match(missing.ok ? '' : missing.message, /does not exist in DNS \(NXDOMAIN\)/);
  });

  test('a DNS server that does not answer is a specific failure, not a hang', async () => {
    const silent = new Resolver({ timeout: 200, tries: 1 });
    silent.setServers(['127.0.0.1:9']); // discard port: nothing answers
    const r = await lookupMx('example.test', silent);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^the MX lookup for example.test failed: E/);
  });

  test('domain input is checked before any lookup', () => {
    assert.equal(validateMailDomain('example.com'), undefined);
    assert.match(validateMailDomain('bob@example.com') ?? '', /part after @/);
    assert.match(validateMailDomain('exa mple.com') ?? '', /not a domain/);
    assert.match(validateMailDomain('') ?? '', /a domain such as/);
  });
});
