// Passwords live only in the editor's secret storage, behind this interface (tests use a Map).
// Nothing here logs, and no message built here contains a secret.

export interface CredentialStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface PasswordPrompt {
  /** Asks for the password; undefined when the user cancelled. */
  askPassword(): Promise<string | undefined>;
  /** Asks whether to keep it in the secret storage. */
  askRemember(): Promise<boolean>;
}

export type PasswordResult =
  | { readonly kind: 'stored'; readonly password: string }
  | { readonly kind: 'entered'; readonly password: string; readonly remembered: boolean }
  | { readonly kind: 'cancelled' };

/**
 * The saved password, or one asked for now (and saved only when the user agrees). A failing
 * secret store is reported through `onStoreError` and the typed password is still used.
 */
export async function obtainPassword(
  store: CredentialStore,
  key: string,
  prompt: PasswordPrompt,
  onStoreError: (message: string) => void,
): Promise<PasswordResult> {
  let saved: string | undefined;
  try {
    saved = await store.get(key);
  } catch (error) {
    onStoreError(`could not read the secret storage: ${describe(error)}`);
  }
  if (saved !== undefined && saved !== '') return { kind: 'stored', password: saved };
  const password = await prompt.askPassword();
  if (password === undefined) return { kind: 'cancelled' };
  let remembered = false;
  if (await prompt.askRemember()) {
    try {
      await store.store(key, password);
      remembered = true;
    } catch (error) {
      onStoreError(`could not save the password in the secret storage: ${describe(error)}`);
    }
  }
  return { kind: 'entered', password, remembered };
}

/** Error text without echoing arbitrary objects (which might carry the secret back). */
function describe(error: unknown): string {
  return error instanceof Error ? error.name + (error.message ? `: ${error.message}` : '') : 'unknown error';
}

/** A CredentialStore in memory (tests, and a fallback when secret storage is unavailable). */
export class MemoryCredentialStore implements CredentialStore {
  readonly map = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, secret: string): Promise<void> {
    this.map.set(key, secret);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}
