// Sandbox users: the printed defaults, or a JSON file a learner writes. The file is validated with
// messages that name the exact entry and field, since a typo there is the most likely failure.
import { readFile } from 'node:fs/promises';
import type { SandboxUser } from './store/types.js';

/** The default accounts; their passwords are printed on purpose (a local, throwaway sandbox). */
export const DEFAULT_USERS: readonly SandboxUser[] = [
  { username: 'alice', password: 'alice-password', addresses: ['alice@example.test'] },
  { username: 'bob', password: 'bob-password', addresses: ['bob@example.test'] },
];

export class SandboxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxConfigError';
  }
}

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
// Deliberately simple: local@domain with no spaces, brackets or quotes (SMTP paths compare lower case).
const ADDRESS = /^[^\s<>@"(),;:\\]+@[A-Za-z0-9.-]+$/;

/**
 * Validates users given as JSON: either `[{...}]` or `{ "users": [{...}] }`, each entry
 * `{ "username": "carol", "password": "...", "addresses": ["carol@example.test"] }`.
 * `addresses` defaults to `<username>@example.test`. `source` names the file in messages.
 */
export function parseUsers(json: unknown, source = 'users'): SandboxUser[] {
  const list: unknown =
    json !== null && typeof json === 'object' && !Array.isArray(json) && 'users' in json ? json.users : json;
  if (!Array.isArray(list)) {
    throw new SandboxConfigError(`${source}: expected an array of users or an object with a "users" array`);
  }
  if (list.length === 0) throw new SandboxConfigError(`${source}: the user list is empty`);
  const users: SandboxUser[] = [];
  const names = new Set<string>();
  const owners = new Map<string, string>();
  list.forEach((entry: unknown, i) => {
    const where = `${source}: user #${i + 1}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new SandboxConfigError(`${where}: expected an object with "username" and "password"`);
    }
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (key !== 'username' && key !== 'password' && key !== 'addresses') {
        throw new SandboxConfigError(
          `${where}: unknown field "${key}" (allowed: username, password, addresses)`,
        );
      }
    }
    const { username, password } = e;
    if (typeof username !== 'string' || !USERNAME.test(username)) {
      throw new SandboxConfigError(
        `${where}: "username" must be 1-64 characters of letters, digits, '.', '_' or '-'`,
      );
    }
    const who = `${source}: user "${username}"`;
    if (names.has(username.toLowerCase())) throw new SandboxConfigError(`${who}: duplicate user name`);
    names.add(username.toLowerCase());
    // The password itself never appears in a message.
    if (typeof password !== 'string' || password.length === 0) {
      throw new SandboxConfigError(`${who}: "password" must be a non-empty string`);
    }
    if (/[\r\n\0]/.test(password)) {
      throw new SandboxConfigError(`${who}: "password" must not contain CR, LF or NUL (they cannot be sent)`);
    }
    let addresses: string[];
    if (e['addresses'] === undefined) {
      addresses = [`${username.toLowerCase()}@example.test`];
    } else if (Array.isArray(e['addresses']) && e['addresses'].length > 0) {
      addresses = e['addresses'].map((a: unknown, j) => {
        if (typeof a !== 'string' || !ADDRESS.test(a)) {
          throw new SandboxConfigError(
            `${who}: address #${j + 1} is not a plain address like name@example.test`,
          );
        }
        return a.toLowerCase();
      });
    } else {
      throw new SandboxConfigError(`${who}: "addresses" must be a non-empty array of strings`);
    }
    for (const a of addresses) {
      const owner = owners.get(a);
      if (owner !== undefined)
        throw new SandboxConfigError(`${who}: address ${a} already belongs to "${owner}"`);
      owners.set(a, username);
    }
    users.push({ username, password, addresses });
  });
  return users;
}

/** Reads and validates a users file. */
export async function loadUsersFile(path: string): Promise<SandboxUser[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SandboxConfigError(`cannot read users file ${path}${code ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SandboxConfigError(`users file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseUsers(json, path);
}
