// Every session entry carries its state model from add() on, and remove() disposes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionManager } from '../../../src/vscode/session-manager.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

test('the manager attaches a state model in add() (catching up on the greeting) and disposes it in remove()', async () => {
  const { transport, session } = await openMemorySession('pop3');
  transport.serverSends('+OK hello from the test\r\n');
  const capa = session.sendRaw('CAPA');
  transport.serverSends('+OK\r\nSASL PLAIN SCRAM-SHA-256\r\nUIDL\r\n.\r\n');
  await capa;
  const manager = new SessionManager();
  const entry = manager.add(session, { host: '127.0.0.1', port: 1, user: 'bob', profileName: undefined });
  assert.deepEqual(
    entry.state.saslMechanisms(),
    ['PLAIN', 'SCRAM-SHA-256'],
    'learned before add(), from the transcript',
  );
  assert.equal(entry.state.snapshot().common.greeting, 'hello from the test');
  const stat = session.sendRaw('STAT');
  transport.serverSends('+OK 2 200\r\n');
  await stat;
  assert.equal(manager.get(entry.id)?.state.messageCount(), 2, 'live events reach the same model');
  let changes = 0;
  entry.state.onChange(() => changes++);
  manager.remove(entry.id);
  const before = changes;
  session.events.emit('protocol', {
    type: 'completed',
    command: { id: 99, verb: 'NOOP' },
    ok: true,
    text: '',
  } as never);
  assert.equal(changes, before, 'a removed session no longer updates its model');
});
