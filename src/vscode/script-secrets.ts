// `{{$secret NAME}}` in the editor: values come from VS Code's secret storage (through the
// CredentialStore interface), asked for once when missing and kept only if the user agrees.
// No vscode import, so it is tested in plain Node.
import type { SecretProvider } from '../script/expand.js';
import { obtainPassword, type CredentialStore, type PasswordPrompt } from './credentials.js';

export function scriptSecretKey(name: string): string {
  return `mailwire.scriptSecret.${name}`;
}

export function editorSecretProvider(
  store: CredentialStore,
  promptFor: (name: string) => PasswordPrompt,
  onStoreError: (message: string) => void,
): SecretProvider {
  return {
    async get(name) {
      const result = await obtainPassword(store, scriptSecretKey(name), promptFor(name), onStoreError);
      return result.kind === 'cancelled' ? undefined : result.password;
    },
  };
}
