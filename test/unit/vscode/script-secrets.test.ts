import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCredentialStore } from '../../../src/vscode/credentials.js';
import { editorSecretProvider, scriptSecretKey } from '../../../src/vscode/script-secrets.js';
import { expand } from '../../../src/script/expand.js';
import { parseScript } from '../../../src/script/parser.js';

function prompts(answer: string | undefined, remember: boolean, asked: string[]) {
  return (name: string) => ({
    askPassword: () => {
      asked.push(name);
      return Promise.resolve(answer);
    },
    askRemember: () => Promise.resolve(remember),
  });
}

test('a stored secret fills {{$secret NAME}} without asking', async () => {
  const store = new MemoryCredentialStore();
  await store.store(scriptSecretKey('imap'), 's3cret-value');
  const asked: string[] = [];
  const provider = editorSecretProvider(store, prompts('other', false, asked), () => undefined);
  const { script } = parseScript('@connect imap://127.0.0.1:1143\nC: a1 LOGIN alice {{$secret imap}}\n', {
    fileName: 'x.imap',
  });
  const step = script.connections[0]?.steps[0];
  assert.ok(step && step.kind === 'command');
  const result = await expand(step.text, { variables: new Map(), env: {}, secrets: provider });
  assert.equal(result.text, 'a1 LOGIN alice s3cret-value');
  assert.deepEqual(result.secrets, ['s3cret-value']);
  assert.deepEqual(asked, []);
});

test('a missing secret is asked for once and kept only when the user agrees', async () => {
  const store = new MemoryCredentialStore();
  const asked: string[] = [];
  const provider = editorSecretProvider(store, prompts('typed', false, asked), () => undefined);
  assert.equal(await provider.get('token'), 'typed');
  assert.deepEqual(asked, ['token']);
  assert.equal(store.map.size, 0, 'not stored without consent');
  const keeping = editorSecretProvider(store, prompts('typed', true, asked), () => undefined);
  assert.equal(await keeping.get('token'), 'typed');
  assert.equal(store.map.get(scriptSecretKey('token')), 'typed');
});

test('a cancelled prompt leaves the secret undefined (the runner reports the line)', async () => {
  const provider = editorSecretProvider(
    new MemoryCredentialStore(),
    prompts(undefined, false, []),
    () => undefined,
  );
  assert.equal(await provider.get('x'), undefined);
});
