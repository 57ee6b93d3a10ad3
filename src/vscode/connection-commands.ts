// Connect..., New Connection... and Forget Saved Password.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from './api.js';
import type { Protocol } from '../protocol/types.js';
import type { TlsMode } from '../transport/types.js';
import {
  defaultPort,
  formatConnectionUrl,
  parseConnectionUrl,
  validateHost,
  validatePort,
  type ConnectionTarget,
} from './connection-url.js';
import { DEFAULT_CLIENT_NAME } from '../session/open.js';
import { lookupMx, validateMailDomain } from '../transport/mx.js';
import { autoLogin } from '../verbs/login.js';
import { obtainPassword } from './credentials.js';
import type { Features } from './features.js';
import { credentialKey, profileEntry, readProfiles, type ConnectionProfile } from './profiles.js';
import { hostPort } from './session-label.js';
import { transcriptFileStem } from './transcript-uri.js';
import { background, errorText, notify } from './ui.js';
import type { SessionEntry } from './session-manager.js';

/** globalState key of the list of saved password keys (keys and labels only, never secrets). */
const SAVED_KEYS = 'mailwire.savedPasswordKeys';

interface SavedKey {
  readonly key: string;
  readonly label: string;
}

interface ConnectChoice {
  readonly url: string;
  readonly target: ConnectionTarget;
  readonly acceptUnverified: boolean;
  readonly profileName: string | undefined;
}

export function loadProfiles(features: Features): readonly ConnectionProfile[] {
  const { profiles, problems } = readProfiles(
    vscode.workspace.getConfiguration('mailwire').get<unknown>('connections'),
  );
  for (const problem of problems) features.log.warn(`ignored connection profile: ${problem}`);
  if (problems.length) {
    notify(
      'warn',
      `${problems.length === 1 ? 'a connection profile was' : `${problems.length} connection profiles were`} ignored: ${problems[0] ?? ''}`,
    );
  }
  return profiles;
}

export async function connect(features: Features, profileName?: string): Promise<void> {
  const choice = await chooseTarget(features, profileName);
  if (!choice) return;
  const { target } = choice;
  const where = hostPort(target.host, target.port);
  let password: string | undefined;
  if (target.user) {
    const key = credentialKey(choice.profileName, target.user, target.host);
    const result = await obtainPassword(
      features.credentials,
      key,
      {
        askPassword: () =>
          Promise.resolve(
            vscode.window.showInputBox({
              title: `Mailwire: password for ${target.user ?? ''}@${where}`,
              prompt: 'Used to log in; kept in the secret storage only if you choose to save it',
              password: true,
              ignoreFocusOut: true,
            }),
          ),
        askRemember: async () =>
          (await vscode.window.showInformationMessage(
            `Save the password for ${target.user ?? ''}@${where} in the secret storage?`,
            { modal: true },
            'Save Password',
          )) === 'Save Password',
      },
      (message) => {
        features.log.warn(message);
        notify('warn', message);
      },
    );
    if (result.kind === 'cancelled') return;
    if (result.kind === 'entered' && result.remembered) {
      await rememberKey(features, {
        key,
        label: `${target.user}@${where}${choice.profileName ? ` (${choice.profileName})` : ''}`,
      });
    }
    password = result.password;
  }
  const transcriptFile = await transcriptFileFor(features, target);
  features.log.info(`connecting to ${choice.url.replace(/\/\/[^@/]*@/, '//')}`);
  const session = await features.openSession({
    url: choice.url,
    acceptUnverified: choice.acceptUnverified,
    ...(transcriptFile ? { transcriptFile } : {}),
  });
  const entry = features.manager.add(session, {
    host: target.host,
    port: target.port,
    user: target.user,
    profileName: choice.profileName,
  });
  await features.documents.open(entry);
  if (session.status === 'closed') {
    const reason = session.closedBecause ?? `could not connect to ${where}`;
    features.log.error(reason);
    notify('error', reason);
    return;
  }
  if (target.user && password !== undefined) {
    const login = await autoLogin(entry.session, target.user, password, DEFAULT_CLIENT_NAME);
    if (login.ok) features.log.info(`${entry.label.title}: ${login.text}`);
    else {
      features.log.warn(`${entry.label.title}: ${login.text}`);
      offerAfterFailedLogin(features, entry, login.text);
    }
  }
}

/** The session stays open and unauthenticated: say why, and offer to log in again or disconnect. */
function offerAfterFailedLogin(features: Features, entry: SessionEntry, why: string): void {
  const LOGIN = 'Log In Again...';
  const DISCONNECT = 'Disconnect';
  const loginVerb = {
    imap: 'mailwire.imap.login',
    pop3: 'mailwire.pop3.userPass',
    smtp: 'mailwire.smtp.auth',
  }[entry.session.protocol];
  background(
    vscode.window
      .showErrorMessage(`Mailwire: ${entry.label.title}: ${why}`, LOGIN, DISCONNECT)
      .then((action) => {
        if (action === LOGIN) return vscode.commands.executeCommand(loginVerb, { sessionId: entry.id });
        if (action === DISCONNECT) features.manager.disconnect(entry.id);
        return undefined;
      }),
    features.log,
  );
}

async function chooseTarget(
  features: Features,
  profileName: string | undefined,
): Promise<ConnectChoice | undefined> {
  const profiles = loadProfiles(features);
  const fromProfile = (p: ConnectionProfile): ConnectChoice => ({
    url: p.url,
    target: p.target,
    acceptUnverified: p.acceptUnverified,
    profileName: p.name,
  });
  if (profileName !== undefined) {
    const p = profiles.find((x) => x.name === profileName);
    if (p) return fromProfile(p);
  }
  const ENTER_URL = 'Enter a URL...';
  const NEW = 'New Connection...';
  const BY_MX = "SMTP to a Domain's Mail Exchanger (MX)...";
  const items: Array<vscode.QuickPickItem & { profile?: ConnectionProfile }> = [
    ...profiles.map((p) => ({
      label: p.name,
      description: p.url,
      ...(p.acceptUnverified ? { detail: 'accepts an unverified certificate' } : {}),
      profile: p,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: ENTER_URL, description: 'e.g. imaps://alice@mail.example.com or imap://127.0.0.1:1143' },
    { label: NEW, description: 'guided, saved as a profile' },
    { label: BY_MX, description: "SMTP to the server that receives a domain's mail (DNS MX, port 25)" },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Mailwire: Connect',
    placeHolder: profiles.length
      ? 'Choose a connection profile'
      : 'No profiles yet: enter a URL or create one',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.profile) return fromProfile(picked.profile);
  if (picked.label === NEW) {
    await newConnection(features);
    return undefined;
  }
  if (picked.label === BY_MX) return chooseMx(features);
  const url = await vscode.window.showInputBox({
    title: 'Mailwire: Connect to a URL',
    prompt: 'smtp, smtps, pop3, pop3s, imap or imaps; add ?tls=starttls to upgrade a plain connection',
    placeHolder: 'imap://alice@127.0.0.1:1143',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const r = parseConnectionUrl(value);
      return r.ok ? undefined : r.message;
    },
  });
  if (url === undefined) return undefined;
  const parsed = parseConnectionUrl(url);
  if (!parsed.ok) {
    notify('error', parsed.message);
    return undefined;
  }
  const acceptUnverified = parsed.value.tls === 'none' ? false : await askAcceptUnverified();
  if (acceptUnverified === undefined) return undefined;
  return { url: url.trim(), target: parsed.value, acceptUnverified, profileName: undefined };
}

/**
 * The server-to-server hop: look up a domain's MX records, pick one (lowest preference first),
 * and connect to port 25 with STARTTLS required or in plaintext, as the user chooses.
 */
async function chooseMx(features: Features): Promise<ConnectChoice | undefined> {
  const domain = await vscode.window.showInputBox({
    title: "Mailwire: SMTP to a domain's mail exchanger",
    prompt: 'The domain whose incoming mail server you want to talk to (the part after @)',
    placeHolder: 'example.com',
    ignoreFocusOut: true,
    validateInput: validateMailDomain,
  });
  if (domain === undefined) return undefined;
  const { Resolver } = await import('node:dns/promises');
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  const found = await lookupMx(domain, resolver);
  if (!found.ok) {
    features.log.warn(found.message);
    notify('error', found.message);
    return undefined;
  }
  features.log.info(
    `MX of ${domain.trim()}: ${found.hosts.map((h) => `${h.exchange} (${h.priority})`).join(', ')}${found.implicit ? ' (implicit MX: no MX record)' : ''}`,
  );
  const host = await vscode.window.showQuickPick(
    found.hosts.map((h, i) => ({
      label: h.exchange,
      description: found.implicit
        ? 'no MX record: the domain itself (RFC 5321 5.1)'
        : `preference ${h.priority}`,
      ...(i === 0 ? { detail: 'tried first by sending servers' } : {}),
      host: h.exchange,
    })),
    { title: `Mailwire: mail exchangers of ${domain.trim()}`, ignoreFocusOut: true },
  );
  if (!host) return undefined;
  const tls = await vscode.window.showQuickPick(
    [
      {
        label: 'STARTTLS required',
        description: 'stop if the server does not offer it',
        mode: 'starttls' as const,
      },
      { label: 'Plaintext', description: 'no TLS: as a server without TLS sees it', mode: 'none' as const },
    ],
    { title: `Mailwire: ${host.host}:25`, ignoreFocusOut: true },
  );
  if (!tls) return undefined;
  const parsed = parseConnectionUrl(
    `smtp://${host.host}:25${tls.mode === 'starttls' ? '?tls=starttls' : ''}`,
  );
  if (!parsed.ok) {
    notify('error', parsed.message);
    return undefined;
  }
  const acceptUnverified = tls.mode === 'none' ? false : await askAcceptUnverified();
  if (acceptUnverified === undefined) return undefined;
  return {
    url: formatConnectionUrl(parsed.value),
    target: parsed.value,
    acceptUnverified,
    profileName: undefined,
  };
}

async function askAcceptUnverified(): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Verify the certificate', description: 'recommended', accept: false },
      {
        label: 'Accept an unverified certificate',
        description: 'self-signed test servers, e.g. the sandbox; the transcript records the choice',
        accept: true,
      },
    ],
    { title: 'Mailwire: TLS certificate', ignoreFocusOut: true },
  );
  return picked?.accept;
}

/** Where this session's live JSON Lines transcript goes; undefined keeps it in memory only. */
async function transcriptFileFor(features: Features, target: ConnectionTarget): Promise<string | undefined> {
  const configured = (
    vscode.workspace.getConfiguration('mailwire').get<string>('transcript.directory') ?? ''
  ).trim();
  let dir = join(features.context.globalStorageUri.fsPath, 'transcripts');
  if (configured) {
    const expanded = configured.replace(/^~(?=$|[/\\])/, homedir());
    if (isAbsolute(expanded)) dir = expanded;
    else
      features.log.warn(
        `mailwire.transcript.directory "${configured}" is not an absolute path; using ${dir}`,
      );
  }
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const message = `cannot create the transcript directory ${dir}: ${errorText(error)}; the transcript stays in memory only`;
    features.log.warn(message);
    notify('warn', message);
    return undefined;
  }
  return join(dir, `${transcriptFileStem(target.protocol, target.host, target.port, Date.now())}.jsonl`);
}

export async function newConnection(features: Features): Promise<void> {
  const title = 'Mailwire: New Connection';
  const protocols: Array<vscode.QuickPickItem & { value: Protocol }> = [
    { label: 'IMAP', description: 'read mail in folders', value: 'imap' },
    { label: 'POP3', description: 'download mail', value: 'pop3' },
    { label: 'SMTP', description: 'send mail', value: 'smtp' },
  ];
  const protocol = await vscode.window.showQuickPick(protocols, {
    title: `${title} (1/6): protocol`,
    ignoreFocusOut: true,
  });
  if (!protocol) return;
  const modes: Array<vscode.QuickPickItem & { value: TlsMode }> = [
    {
      label: 'Implicit TLS',
      description: `recommended; port ${defaultPort(protocol.value, 'implicit')}`,
      value: 'implicit',
    },
    {
      label: 'STARTTLS',
      description: `plaintext, then upgraded; port ${defaultPort(protocol.value, 'starttls')}`,
      value: 'starttls',
    },
    { label: 'None', description: 'plaintext only: passwords cross the network readable', value: 'none' },
  ];
  const tls = await vscode.window.showQuickPick(modes, {
    title: `${title} (2/6): TLS`,
    ignoreFocusOut: true,
  });
  if (!tls) return;
  const host = await vscode.window.showInputBox({
    title: `${title} (3/6): host`,
    placeHolder: 'mail.example.com or 127.0.0.1',
    ignoreFocusOut: true,
    validateInput: validateHost,
  });
  if (host === undefined) return;
  const portText = await vscode.window.showInputBox({
    title: `${title} (4/6): port`,
    value: String(defaultPort(protocol.value, tls.value)),
    ignoreFocusOut: true,
    validateInput: validatePort,
  });
  if (portText === undefined) return;
  const user = await vscode.window.showInputBox({
    title: `${title} (5/6): user name (optional; the password is asked for when connecting)`,
    placeHolder: 'alice',
    ignoreFocusOut: true,
    validateInput: (v) => (/[\s]/.test(v.trim()) ? 'A user name has no spaces' : undefined),
  });
  if (user === undefined) return;
  const target: ConnectionTarget = {
    protocol: protocol.value,
    tls: tls.value,
    host: host.trim(),
    port: Number(portText.trim()),
    user: user.trim() || undefined,
  };
  const existing = loadProfiles(features).map((p) => p.name);
  const suggested = `${target.user ? `${target.user}@` : ''}${target.host} (${protocol.label})`;
  const name = await vscode.window.showInputBox({
    title: `${title} (6/6): profile name`,
    value: existing.includes(suggested) ? '' : suggested,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === ''
        ? 'Give the profile a name'
        : existing.includes(v.trim())
          ? `A profile named "${v.trim()}" exists already`
          : undefined,
  });
  if (name === undefined) return;
  const acceptUnverified = tls.value === 'none' ? false : await askAcceptUnverified();
  if (acceptUnverified === undefined) return;
  const url = formatConnectionUrl({ ...target, user: undefined });
  const config = vscode.workspace.getConfiguration('mailwire');
  // Only the user-level list is rewritten: workspace profiles are never copied into it.
  const global = config.inspect<unknown>('connections')?.globalValue;
  const list = Array.isArray(global) ? [...(global as unknown[])] : [];
  list.push(profileEntry(name.trim(), url, target.user, acceptUnverified));
  await config.update('connections', list, vscode.ConfigurationTarget.Global);
  features.log.info(`saved connection profile "${name.trim()}" (${url})`);
  const action = await vscode.window.showInformationMessage(
    `Mailwire: saved profile "${name.trim()}".`,
    'Connect Now',
  );
  if (action === 'Connect Now') await connect(features, name.trim());
}

export async function forgetPassword(features: Features): Promise<void> {
  const saved = savedKeys(features);
  if (saved.length === 0) {
    notify('info', 'no saved passwords');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    saved.map((s) => ({ label: s.label, saved: s })),
    { title: 'Mailwire: Forget Saved Password', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked || picked.length === 0) return;
  for (const { saved: s } of picked) {
    await features.credentials.delete(s.key);
    features.log.info(`forgot the saved password for ${s.label}`);
  }
  const gone = new Set(picked.map((p) => p.saved.key));
  await features.context.globalState.update(
    SAVED_KEYS,
    saved.filter((s) => !gone.has(s.key)),
  );
  notify('info', `forgot ${picked.length === 1 ? 'the password' : `${picked.length} passwords`}`);
}

function savedKeys(features: Features): SavedKey[] {
  const raw = features.context.globalState.get<unknown>(SAVED_KEYS);
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (x): x is SavedKey =>
      typeof x === 'object' &&
      x !== null &&
      typeof (x as SavedKey).key === 'string' &&
      typeof (x as SavedKey).label === 'string',
  );
}

async function rememberKey(features: Features, key: SavedKey): Promise<void> {
  const list = savedKeys(features).filter((k) => k.key !== key.key);
  list.push(key);
  await features.context.globalState.update(SAVED_KEYS, list);
}
