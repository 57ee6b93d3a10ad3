// Property test: random server updates (new messages, EXPUNGE anywhere, VANISHED of any UIDs,
// unsolicited FETCH flag changes) sent through a real codec and session; the model's table must
// always equal a plain reference list of UIDs, renumbered the simple way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SessionStateModel } from '../../../src/state/index.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

type Op =
  | { readonly kind: 'append'; readonly count: number }
  | { readonly kind: 'expunge'; readonly at: number }
  | { readonly kind: 'vanished'; readonly picks: readonly number[] }
  | { readonly kind: 'flag'; readonly at: number; readonly flag: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('expunge' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('vanished' as const), picks: fc.array(fc.nat(), { maxLength: 3 }) }),
  fc.record({
    kind: fc.constant('flag' as const),
    at: fc.nat(),
    flag: fc.constantFrom('\\Seen', '\\Flagged', '$Label1'),
  }),
);

test('the message table always matches a reference under random EXISTS, EXPUNGE, VANISHED and FETCH', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      const { transport, session } = await openMemorySession('imap');
      const model = new SessionStateModel(session);
      const tick = () => new Promise((r) => setImmediate(r));
      const send = async (text: string) => {
        transport.serverSends(text);
        await tick();
      };
      await send('* PREAUTH [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n');
      const select = session.sendRaw('a1 SELECT INBOX');
      await send('* 0 EXISTS\r\n* OK [UIDVALIDITY 1] x\r\na1 OK [READ-WRITE] done\r\n');
      await select;
      // The reference: the UIDs in mailbox order, and each one's flags.
      const uids: number[] = [];
      const flags = new Map<number, string[]>();
      let nextUid = 1;
      let out = '';
      for (const o of ops) {
        if (o.kind === 'append') {
          for (let i = 0; i < o.count; i++) {
            uids.push(nextUid);
            flags.set(nextUid, []);
            out += `* ${uids.length} EXISTS\r\n* ${uids.length} FETCH (UID ${nextUid} FLAGS ())\r\n`;
            nextUid++;
          }
        } else if (o.kind === 'expunge') {
          if (uids.length === 0) continue;
          const at = o.at % uids.length;
          uids.splice(at, 1);
          out += `* ${at + 1} EXPUNGE\r\n`;
        } else if (o.kind === 'vanished') {
          const gone = [...new Set(o.picks.filter(() => uids.length > 0).map((p) => uids[p % uids.length]!))];
          if (gone.length === 0) continue;
          for (const u of gone) uids.splice(uids.indexOf(u), 1);
          out += `* VANISHED ${gone.join(',')}\r\n`;
        } else {
          if (uids.length === 0) continue;
          const at = o.at % uids.length;
          const uid = uids[at]!;
          const f = flags.get(uid)!;
          const next = f.includes(o.flag) ? f.filter((x) => x !== o.flag) : [...f, o.flag];
          flags.set(uid, next);
          out += `* ${at + 1} FETCH (FLAGS (${next.join(' ')}))\r\n`;
        }
      }
      // Sent in one piece and in small pieces alike: the codec and model must not care.
      const bytes = Buffer.from(out, 'latin1');
      for (let i = 0; i < bytes.length; i += 37) await send(bytes.subarray(i, i + 37).toString('latin1'));
      const snap = model.snapshot();
      session.close();
      if (snap.protocol !== 'imap' || !snap.imap.selected) return false;
      const sel = snap.imap.selected;
      assert.equal(sel.exists, uids.length);
      assert.equal(sel.stale, undefined);
      assert.deepEqual(
        sel.messages.map((m) => [m.seq, m.uid, [...(m.flags ?? [])].sort()]),
        uids.map((u, i) => [i + 1, u, [...flags.get(u)!].sort()]),
      );
      assert.deepEqual(snap.common.warnings, []);
      return true;
    }),
    { numRuns: 150 },
  );
});
