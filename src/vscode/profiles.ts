// Connection profiles from the `mailwire.connections` setting. Settings are user input: every
// entry is validated and bad ones are reported by index and name instead of being dropped.
import { parseConnectionUrl, type ConnectionTarget } from './connection-url.js';

export interface ConnectionProfile {
  readonly name: string;
  readonly url: string;
  readonly user: string | undefined;
  readonly acceptUnverified: boolean;
  /** The parsed URL, with `user` from the profile when the URL has none. */
  readonly target: ConnectionTarget;
}

export interface ProfileList {
  readonly profiles: readonly ConnectionProfile[];
  /** One readable problem per rejected entry. */
  readonly problems: readonly string[];
}

const KNOWN_KEYS = new Set(['name', 'url', 'user', 'acceptUnverified']);

export function readProfiles(setting: unknown): ProfileList {
  if (setting === undefined || setting === null) return { profiles: [], problems: [] };
  if (!Array.isArray(setting)) return { profiles: [], problems: ['mailwire.connections must be an array'] };
  const profiles: ConnectionProfile[] = [];
  const problems: string[] = [];
  const names = new Set<string>();
  setting.forEach((entry: unknown, index) => {
    const where = `mailwire.connections[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} must be an object with "name" and "url"`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = typeof e['name'] === 'string' ? e['name'].trim() : '';
    const label = name ? `${where} ("${name}")` : where;
    if (!name) return void problems.push(`${where} has no "name"`);
    if (names.has(name)) return void problems.push(`${label}: another profile already has this name`);
    if ('password' in e || 'token' in e) {
      return void problems.push(
        `${label}: remove "password"/"token"; secrets go in the secret storage, never in settings`,
      );
    }
    const unknown = Object.keys(e).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length)
      return void problems.push(`${label}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}`);
    if (typeof e['url'] !== 'string') return void problems.push(`${label} has no "url"`);
    if (e['user'] !== undefined && typeof e['user'] !== 'string')
      return void problems.push(`${label}: "user" must be a string`);
    if (e['acceptUnverified'] !== undefined && typeof e['acceptUnverified'] !== 'boolean') {
      return void problems.push(`${label}: "acceptUnverified" must be true or false`);
    }
    const parsed = parseConnectionUrl(e['url']);
    if (!parsed.ok) return void problems.push(`${label}: ${parsed.message}`);
    const profileUser =
      typeof e['user'] === 'string' && e['user'].trim() !== '' ? e['user'].trim() : undefined;
    if (profileUser && parsed.value.user && profileUser !== parsed.value.user) {
      return void problems.push(
        `${label}: "user" (${profileUser}) differs from the user in the URL (${parsed.value.user})`,
      );
    }
    names.add(name);
    profiles.push({
      name,
      url: e['url'],
      user: profileUser ?? parsed.value.user,
      acceptUnverified: e['acceptUnverified'] === true,
      target: { ...parsed.value, user: profileUser ?? parsed.value.user },
    });
  });
  return { profiles, problems };
}

/** The setting entry for a new profile (what "New Connection..." saves). */
export function profileEntry(
  name: string,
  url: string,
  user: string | undefined,
  acceptUnverified: boolean,
): Record<string, unknown> {
  return { name, url, ...(user ? { user } : {}), ...(acceptUnverified ? { acceptUnverified: true } : {}) };
}

/**
 * The SecretStorage key of a password: one per profile, user and host, so two profiles for the
 * same account on different hosts never share (or overwrite) a secret.
 */
export function credentialKey(profileName: string | undefined, user: string, host: string): string {
  return `mailwire.password/${encodeURIComponent(profileName ?? '(url)')}/${encodeURIComponent(user)}@${encodeURIComponent(host.toLowerCase())}`;
}
