// From a click to the wire without VS Code: view actions go through the panel controller and the
// palette verbs (src/verbs, the same code the verb commands run) into a real session; the bytes the
// server receives are exactly the commands a learner expects to see in the transcript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionStateModel } from '../../../src/state/index.js';
import { VERBS } from '../../../src/verbs/catalog.js';
import { hintsFor } from '../../../src/verbs/hints.js';
import type { ToWebview } from '../../../src/shared/messages.js';
import { StatePanelController } from '../../../src/vscode/state-controller.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

test('Select, Fetch headers, a flag toggle and Expunge in the view send those IMAP commands', async () => {
  const { transport, session } = await openMemorySession('imap');
  const model = new SessionStateModel(session);
  transport.serverSends('* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] ready\r\n');
  await new Promise((r) => setImmediate(r));
  // The "server": answers every tagged command OK, as soon as it arrives.
  const answered = new Set<string>();
  const answer = () => {
    for (const line of transport.writtenText().split('\r\n')) {
      const tag = /^(\S+) /.exec(line)?.[1];
      if (!tag || answered.has(tag)) continue;
      answered.add(tag);
      const extra = / SELECT /.test(line) ? '* 2 EXISTS\r\n* OK [UIDVALIDITY 9] x\r\n' : '';
      setImmediate(() => transport.serverSends(`${extra}${tag} OK done\r\n`));
    }
  };
  const posted: ToWebview[] = [];
  const controller = new StatePanelController(
    { id: 's1', state: model, title: () => 'IMAP', live: () => session.status === 'open' },
    { post: (m) => void posted.push(m), visible: true },
    async (command, arg) => {
      const spec = VERBS.find((v) => `mailwire.${v.id}` === command);
      assert.ok(spec, command);
      const pending = spec.run({
        session,
        args: arg.args,
        files: {},
        hints: hintsFor(session, model, undefined),
        clientName: 'test.client',
      });
      answer();
      const outcome = await pending;
      assert.equal(outcome.result.outcome, 'ok', `${command}: ${outcome.result.text}`);
    },
    { warn: (m) => assert.fail(m) },
  );
  const click = async (requestId: number, action: unknown) => {
    controller.receive({ type: 'action', requestId, action });
    for (
      let i = 0;
      i < 20 && !posted.some((m) => m.type === 'action-result' && m.requestId === requestId);
      i++
    )
      await new Promise((r) => setTimeout(r, 5));
  };
  await click(1, { kind: 'imap.select', mailbox: 'Café' });
  await click(2, {
    kind: 'imap.fetch',
    set: '1:2',
    items: '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)',
    uid: 'false',
  });
  await click(3, { kind: 'imap.storeFlags', set: '7', operation: '+FLAGS', flags: '\\Seen', uid: 'true' });
  await click(4, { kind: 'imap.expunge' });
  assert.deepEqual(
    posted.filter((m) => m.type === 'action-result').map((m) => m.type === 'action-result' && m.ok),
    [true, true, true, true],
  );
  const lines = transport
    .writtenText()
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\S+ /, ''));
  assert.deepEqual(lines, [
    'SELECT Caf&AOk-',
    'FETCH 1:2 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)',
    'UID STORE 7 +FLAGS (\\Seen)',
    'EXPUNGE',
  ]);
  const selected = model.snapshot();
  assert.ok(selected.protocol === 'imap' && selected.imap.selected?.name === 'Café');
  assert.equal(selected.imap.selected.exists, 2);
  controller.dispose();
  session.close();
});
