import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryCredentialStore,
  obtainPassword,
  type CredentialStore,
} from '../../../src/vscode/credentials.js';

function prompt(password: string | undefined, remember: boolean) {
  const calls = { ask: 0, remember: 0 };
  return {
    calls,
    prompt: {
      askPassword: () => (calls.ask++, Promise.resolve(password)),
      askRemember: () => (calls.remember++, Promise.resolve(remember)),
    },
  };
}

describe('obtainPassword', () => {
  test('a saved password is used without asking', async () => {
    const store = new MemoryCredentialStore();
    await store.store('k', 's3cret');
    const p = prompt('other', true);
    assert.deepEqual(await obtainPassword(store, 'k', p.prompt, assert.fail), {
      kind: 'stored',
      password: 's3cret',
    });
    assert.equal(p.calls.ask, 0);
  });

  test('a typed password is saved only when the user agrees', async () => {
    const store = new MemoryCredentialStore();
    const no = await obtainPassword(store, 'k', prompt('pw1', false).prompt, assert.fail);
    assert.deepEqual(no, { kind: 'entered', password: 'pw1', remembered: false });
    assert.equal(store.map.size, 0);
    const yes = await obtainPassword(store, 'k', prompt('pw2', true).prompt, assert.fail);
    assert.deepEqual(yes, { kind: 'entered', password: 'pw2', remembered: true });
    assert.equal(store.map.get('k'), 'pw2');
  });

  test('cancelling asks nothing more and saves nothing', async () => {
    const store = new MemoryCredentialStore();
    const p = prompt(undefined, true);
    assert.deepEqual(await obtainPassword(store, 'k', p.prompt, assert.fail), { kind: 'cancelled' });
    assert.equal(p.calls.remember, 0);
    assert.equal(store.map.size, 0);
  });

  test('a broken secret store is reported, the typed password still works, no secret in the message', async () => {
    const broken: CredentialStore = {
      get: () => Promise.reject(new Error('keyring locked')),
      store: () => Promise.reject(new Error('keyring locked')),
      delete: () => Promise.resolve(),
    };
    const messages: string[] = [];
    const r = await obtainPassword(broken, 'k', prompt('pw-xyz', true).prompt, (m) => messages.push(m));
    assert.deepEqual(r, { kind: 'entered', password: 'pw-xyz', remembered: false });
    assert.equal(messages.length, 2);
    assert.match(messages[0] ?? '', /could not read the secret storage: Error: keyring locked/);
    assert.ok(!messages.join().includes('pw-xyz'));
  });
});
