// The sandbox mail store: users, their folders and messages in memory, optionally mirrored to a
// data folder so the sandbox keeps its mail across restarts.

import { Buffer } from 'node:buffer';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MemoryFolder, type FolderHost } from './memory-folder.js';
import { DataDir, type PersistedIndex, type PersistedUser } from './persistence.js';
import {
  StoreError,
  type Folder,
  type MailStore,
  type SandboxUser,
  type SpecialUse,
  type StoredMessage,
  type UserMailboxes,
} from './types.js';

export interface MemoryStoreOptions {
  users: SandboxUser[];
  /** Folder to persist to; omitted means memory only. */
  dataDir?: string;
}

const DEFAULT_FOLDERS: ReadonlyArray<readonly [string, SpecialUse | undefined]> = [
  ['INBOX', undefined],
  ['Sent', '\\Sent'],
  ['Drafts', '\\Drafts'],
  ['Trash', '\\Trash'],
  ['Junk', '\\Junk'],
];

/** Longest folder name accepted (keeps LIST replies and the index sane). */
const MAX_FOLDER_NAME = 512;

export function createMemoryStore(options: MemoryStoreOptions): MailStore {
  return new MemoryStore(options);
}

class MemoryStore implements MailStore, FolderHost {
  private readonly userList: readonly SandboxUser[];
  private readonly boxes = new Map<string, UserBoxes>();
  private readonly disk: DataDir | undefined;
  private storeId: string;
  private uidlCounter = 0;
  private lastUidValidity = 0;
  private loading = false;

  constructor(options: MemoryStoreOptions) {
    this.userList = [...options.users];
    this.storeId = randomBytes(4).toString('hex');
    this.disk = options.dataDir === undefined ? undefined : new DataDir(options.dataDir);
    const saved = this.disk?.loadIndex();
    if (saved) {
      this.storeId = saved.storeId;
      this.uidlCounter = saved.uidlCounter;
      this.lastUidValidity = saved.lastUidValidity;
    }
    this.loading = true;
    try {
      for (const user of this.userList) {
        const key = user.username.toLowerCase();
        const persisted = saved?.users[user.username];
        this.boxes.set(key, new UserBoxes(user, this, persisted));
      }
    } finally {
      this.loading = false;
    }
    this.save();
  }

  users(): readonly SandboxUser[] {
    return this.userList;
  }

  authenticate(username: string, password: string): SandboxUser | undefined {
    const user = this.userByName(username);
    // Compare digests so the time taken says nothing about the password.
    const given = createHash('sha256').update(password).digest();
    const expected = createHash('sha256')
      .update(user?.password ?? '\u0000no such user')
      .digest();
    const match = timingSafeEqual(given, expected);
    return user && match ? user : undefined;
  }

  userByName(username: string): SandboxUser | undefined {
    return this.boxes.get(username.toLowerCase())?.user;
  }

  userByAddress(address: string): SandboxUser | undefined {
    const wanted = address.trim().toLowerCase();
    return this.userList.find((u) => u.addresses.some((a) => a.toLowerCase() === wanted));
  }

  mailboxes(user: SandboxUser): UserMailboxes {
    const boxes = this.boxes.get(user.username.toLowerCase());
    if (!boxes) throw new StoreError(`no such user: ${user.username}`);
    return boxes;
  }

  deliver(address: string, raw: Buffer): StoredMessage {
    const user = this.userByAddress(address);
    if (!user) throw new StoreError(`no mailbox for ${address}`, 'NONEXISTENT');
    const inbox = this.mailboxes(user).folder('INBOX');
    if (!inbox) throw new StoreError('INBOX is missing', 'SERVERBUG');
    return inbox.append(raw, []);
  }

  // FolderHost

  nextUidl(): string {
    this.uidlCounter += 1;
    return `${this.storeId}-${this.uidlCounter}`;
  }

  /** Creation time in seconds, but strictly increasing so no two folders share a UIDVALIDITY. */
  nextUidValidity(): number {
    const now = Math.floor(Date.now() / 1000);
    this.lastUidValidity = Math.max(now, this.lastUidValidity + 1);
    return this.lastUidValidity;
  }

  changed(_folder: MemoryFolder, added?: StoredMessage, removed?: readonly StoredMessage[]): void {
    if (!this.disk || this.loading) return;
    if (added) this.disk.writeMessage(added.uidl, added.raw);
    this.save();
    for (const m of removed ?? []) this.disk.removeMessage(m.uidl);
  }

  save(): void {
    if (!this.disk || this.loading) return;
    const index: PersistedIndex = {
      version: 1,
      storeId: this.storeId,
      uidlCounter: this.uidlCounter,
      lastUidValidity: this.lastUidValidity,
      users: {},
    };
    for (const boxes of this.boxes.values()) index.users[boxes.user.username] = boxes.toPersisted();
    this.disk.saveIndex(index);
  }

  readMessage(uidl: string): Buffer {
    if (!this.disk) throw new StoreError('no data folder');
    return this.disk.readMessage(uidl);
  }
}

class UserBoxes implements UserMailboxes {
  private readonly byName = new Map<string, MemoryFolder>();
  private readonly subscriptions = new Set<string>();
  private maildropOwner: object | undefined;

  constructor(
    readonly user: SandboxUser,
    private readonly store: MemoryStore,
    persisted: PersistedUser | undefined,
  ) {
    if (persisted) {
      for (const f of persisted.folders) {
        const messages: StoredMessage[] = [];
        for (const m of f.messages) {
          let raw: Buffer;
          try {
            raw = store.readMessage(m.uidl);
          } catch {
            continue; // The .eml is gone (deleted by hand): drop its index entry rather than fail.
          }
          messages.push({
            uid: m.uid,
            uidl: m.uidl,
            raw,
            size: raw.length,
            internalDate: new Date(m.internalDate),
            flags: new Set(m.flags),
          });
        }
        const folder = new MemoryFolder(f.name, f.uidValidity, store, f.specialUse, f.uidNext, messages);
        this.byName.set(key(f.name), folder);
      }
      for (const s of persisted.subscriptions) this.subscriptions.add(s);
    }
    for (const [name, specialUse] of DEFAULT_FOLDERS) {
      if (persisted && name !== 'INBOX') continue; // the user may have deleted them on purpose
      if (this.byName.has(key(name))) continue;
      this.byName.set(key(name), new MemoryFolder(name, store.nextUidValidity(), store, specialUse));
      this.subscriptions.add(name);
    }
  }

  folders(): readonly Folder[] {
    const all = [...this.byName.values()];
    return all.sort((a, b) => {
      if (a.name === 'INBOX') return -1;
      if (b.name === 'INBOX') return 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  }

  folder(name: string): Folder | undefined {
    return this.byName.get(key(name));
  }

  isSubscribed(name: string): boolean {
    return this.subscriptions.has(canonical(name));
  }

  create(name: string): Folder {
    const clean = checkName(name);
    if (this.byName.has(key(clean))) throw new StoreError(`folder ${clean} already exists`, 'ALREADYEXISTS');
    // RFC 3501 6.3.3: create superior names as needed.
    const parts = clean.split('/');
    let created: MemoryFolder | undefined;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.byName.has(key(prefix))) continue;
      created = new MemoryFolder(prefix, this.store.nextUidValidity(), this.store);
      this.byName.set(key(prefix), created);
    }
    this.store.save();
    return created!;
  }

  delete(name: string): void {
    const folder = this.byName.get(key(name));
    if (!folder) throw new StoreError(`no folder named ${name}`, 'NONEXISTENT');
    if (folder.name === 'INBOX') throw new StoreError('INBOX cannot be deleted', 'CANNOT');
    const prefix = `${folder.name}/`;
    if ([...this.byName.values()].some((f) => f.name.startsWith(prefix))) {
      throw new StoreError(`${folder.name} has child folders; delete them first`, 'CANNOT');
    }
    folder.expunge(folder.messages().map((m) => m.uid));
    this.byName.delete(key(name));
    this.store.save();
  }

  rename(from: string, to: string): void {
    const source = this.byName.get(key(from));
    if (!source) throw new StoreError(`no folder named ${from}`, 'NONEXISTENT');
    const target = checkName(to);
    if (this.byName.has(key(target)))
      throw new StoreError(`folder ${target} already exists`, 'ALREADYEXISTS');
    if (source.name === 'INBOX') {
      // RFC 3501 6.3.5: renaming INBOX moves its messages to a new folder and leaves INBOX empty.
      const created = this.create(target) as MemoryFolder;
      created.takeAll(source);
      this.store.save();
      return;
    }
    if (key(target).startsWith(`${key(source.name)}/`)) {
      throw new StoreError('cannot move a folder into itself', 'CANNOT');
    }
    const prefix = `${source.name}/`;
    const moving = [...this.byName.values()].filter((f) => f === source || f.name.startsWith(prefix));
    // Create missing parents of the target, then move the subtree (UIDVALIDITY stays: it is
    // store-wide unique, so the new name never pairs with a value it had before).
    const parent = target.split('/').slice(0, -1).join('/');
    if (parent && !this.byName.has(key(parent))) this.create(parent);
    const oldLength = source.name.length;
    for (const f of moving) {
      const newName = target + f.name.slice(oldLength);
      this.byName.delete(key(f.name));
      if (this.subscriptions.delete(f.name)) this.subscriptions.add(newName);
      f.rename(newName);
      this.byName.set(key(newName), f);
    }
    this.store.save();
  }

  subscribe(name: string, subscribed: boolean): void {
    const clean = canonical(name);
    if (subscribed) {
      if (!this.byName.has(key(clean))) throw new StoreError(`no folder named ${name}`, 'NONEXISTENT');
      this.subscriptions.add(this.byName.get(key(clean))!.name);
    } else {
      this.subscriptions.delete(clean);
    }
    this.store.save();
  }

  lockMaildrop(owner: object): boolean {
    if (this.maildropOwner !== undefined && this.maildropOwner !== owner) return false;
    this.maildropOwner = owner;
    return true;
  }

  unlockMaildrop(owner: object): void {
    if (this.maildropOwner === owner) this.maildropOwner = undefined;
  }

  toPersisted(): PersistedUser {
    return {
      subscriptions: [...this.subscriptions],
      folders: this.folders().map((f) => ({
        name: f.name,
        uidValidity: f.uidValidity,
        uidNext: f.uidNext,
        ...(f.specialUse ? { specialUse: f.specialUse } : {}),
        messages: f.messages().map((m) => ({
          uid: m.uid,
          uidl: m.uidl,
          internalDate: m.internalDate.toISOString(),
          flags: [...m.flags],
        })),
      })),
    };
  }
}

/** INBOX is case-insensitive (RFC 3501 5.1); other names are case-sensitive. */
function canonical(name: string): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  if (name.toUpperCase().startsWith('INBOX/')) return `INBOX${name.slice(5)}`;
  return name;
}

function key(name: string): string {
  return canonical(name);
}

function checkName(name: string): string {
  const clean = canonical(name);
  if (clean.length === 0) throw new StoreError('empty folder name', 'CANNOT');
  if (clean.length > MAX_FOLDER_NAME)
    throw new StoreError(`folder name longer than ${MAX_FOLDER_NAME}`, 'CANNOT');
  if (clean.startsWith('/') || clean.endsWith('/') || clean.includes('//')) {
    throw new StoreError(`bad folder name ${JSON.stringify(name)}: empty hierarchy level`, 'CANNOT');
  }
  if (/[\u0000-\u001f\u007f*%]/.test(clean)) {
    throw new StoreError('folder names may not contain control characters, * or %', 'CANNOT');
  }
  return clean;
}
