// Hostile servers: random untagged responses with extreme numbers and odd names never make the
// model throw, and its snapshot stays consistent (sorted, unique rows inside EXISTS, bounded, JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SessionStateModel, STATE_LIMITS } from '../../../src/state/index.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

const num = fc.constantFrom(0, 1, 2, 3, 7, 199_999, 200_001, 4_294_967_295, 9_007_199_254_740_991);
const name = fc.constantFrom(
  'INBOX',
  '"a b"',
  '&AOk-',
  '&Jjo-!',
  '"<img src=x>"',
  '""',
  '{3}\r\nabc',
  'Bad&-Name',
);
const line: fc.Arbitrary<string> = fc.oneof(
  num.map((n) => `* ${n} EXISTS`),
  num.map((n) => `* ${n} RECENT`),
  num.map((n) => `* ${n} EXPUNGE`),
  fc.tuple(num, num).map(([s, u]) => `* ${s} FETCH (UID ${u} FLAGS (\\Seen $x))`),
  fc.tuple(num, num).map(([s, m]) => `* ${s} FETCH (MODSEQ (${m}) FLAGS ())`),
  fc.tuple(num, num).map(([a, b]) => `* VANISHED ${a}:${b}`),
  fc.tuple(num, num).map(([a, b]) => `* VANISHED (EARLIER) ${a},${b}`),
  num.map((n) => `* OK [UIDVALIDITY ${n}] x`),
  num.map((n) => `* OK [UIDNEXT ${n}] x`),
  num.map((n) => `* OK [HIGHESTMODSEQ ${n}${n}] x`),
  name.map((n) => `* LIST (\\HasNoChildren \\Sent) "/" ${n}`),
  name.map((n) => `* LSUB () NIL ${n}`),
  fc.tuple(name, num).map(([n, v]) => `* STATUS ${n} (MESSAGES ${v} HIGHESTMODSEQ ${v}${v})`),
  fc.constant('* FLAGS (\\Seen \\Deleted)'),
  fc.constant('* OK [PERMANENTFLAGS (\\Seen \\*)] x'),
  fc.constant('* NAMESPACE (("" "/")) NIL (("#shared/" "/"))'),
  fc.constant('* BYE going away'),
  fc.string({ maxLength: 30 }).map((s) => `* ${s.replace(/[\r\n]/g, ' ')}`),
);

test('random hostile untagged responses never throw and keep the table consistent', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
      const { transport, session } = await openMemorySession('imap');
      const model = new SessionStateModel(session);
      transport.serverSends('* PREAUTH ready\r\n');
      await new Promise((r) => setImmediate(r));
      const select = session.sendRaw('a1 SELECT INBOX');
      transport.serverSends('a1 OK [READ-WRITE] done\r\n');
      await select;
      transport.serverSends(lines.join('\r\n') + '\r\n');
      await new Promise((r) => setImmediate(r));
      const snap = model.snapshot();
      session.close();
      JSON.stringify(snap);
      if (snap.protocol !== 'imap') return false;
      assert.ok(snap.imap.mailboxes.length <= STATE_LIMITS.mailboxes);
      const sel = snap.imap.selected;
      if (!sel) return true;
      const seqs = sel.messages.map((m) => m.seq);
      assert.deepEqual(
        seqs,
        [...new Set(seqs)].sort((a, b) => a - b),
        'rows sorted and unique',
      );
      assert.ok(
        seqs.every((s) => s >= 1 && s <= (sel.exists ?? 0)),
        'rows inside EXISTS',
      );
      assert.ok(sel.messages.length <= STATE_LIMITS.snapshotMessages);
      assert.ok((sel.exists ?? 0) >= 0);
      assert.ok(
        !snap.common.warnings.some((w) => w.text.startsWith('state model error')),
        'no internal error',
      );
      return true;
    }),
    { numRuns: 100 },
  );
});
