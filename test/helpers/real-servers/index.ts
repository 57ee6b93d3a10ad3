// Real Dovecot 2.3 and Postfix 3.7 on 127.0.0.1 for integration tests. One call starts both in a
// fresh temp folder (config, certificate, mail, queue, logs); `stop()` stops both and deletes it.
// Start once per test file. Needs root (Postfix and Dovecot drop privileges themselves).
//
// When something cannot start, `startRealServers` throws an Error naming what failed, with the last
// log lines: tests that need a real server fail, they never skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  chownSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dovecotConf,
  dovecotPasswd,
  layoutFor,
  postfixMainCf,
  postfixMasterCf,
  postfixVirtualMailboxes,
  TEST_USERS,
  type Layout,
  type Ports,
  type TestUser,
} from './config.js';
import { isListening, pickFreePorts, processRunning, runLogged, tailFile, waitUntil } from './processes.js';

export { TEST_USERS, TEST_DOMAIN, MAIL_HOSTNAME, type TestUser } from './config.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface RealServers {
  /** IMAP, plaintext with STARTTLS offered. */
  readonly imap: Endpoint;
  /** IMAP over implicit TLS. */
  readonly imaps: Endpoint;
  /** POP3, plaintext with STLS offered. */
  readonly pop3: Endpoint;
  /** POP3 over implicit TLS. */
  readonly pop3s: Endpoint;
  /** Postfix smtpd: STARTTLS, AUTH PLAIN/LOGIN (also before STARTTLS), delivers example.test by LMTP. */
  readonly smtp: Endpoint;
  /** Dovecot LMTP, for delivering without Postfix. */
  readonly lmtp: Endpoint;
  readonly users: readonly TestUser[];
  /** PEM of the self-signed certificate every TLS listener presents; trust it as the CA. */
  readonly caCertPem: string;
  /** The temp folder holding everything; gone after `stop()`. */
  readonly root: string;
  /** Last lines of the Dovecot, Postfix and command logs, for failure messages. */
  logs(lines?: number): string;
  /**
   * Resolves once the user's INBOX holds at least `count` messages (read from the Maildir, so
   * without logging in); rejects after `timeoutMs` with the mail logs.
   */
  waitForDelivery(user: TestUser | string, count: number, timeoutMs?: number): Promise<void>;
  /** Messages currently in the user's INBOX (Maildir new + cur). */
  inboxCount(user: TestUser | string): number;
  /** Stops Postfix and Dovecot, waits until they are gone, and deletes the temp folder. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export async function startRealServers(): Promise<RealServers> {
  if (process.getuid?.() !== 0) {
    throw new Error('startRealServers needs root: Dovecot and Postfix start as root and drop privileges');
  }
  for (const tool of ['/usr/sbin/dovecot', '/usr/sbin/postfix', '/usr/bin/openssl']) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      throw new Error(`${tool} is missing: run .ci/install-system-packages.sh as root first`);
    }
  }
  const vmail = ensureVmailUser();
  const root = mkdtempSync(join(tmpdir(), 'mw-real-'));
  // Dovecot's login and mail processes (dovenull, vmail) must reach sockets under the base dir.
  chmodSync(root, 0o755);
  const layout = layoutFor(root);
  const [imap, imaps, pop3, pop3s, lmtp, auth, smtp] = await pickFreePorts(7);
  const ports: Ports = {
    imap: imap!,
    imaps: imaps!,
    pop3: pop3!,
    pop3s: pop3s!,
    lmtp: lmtp!,
    auth: auth!,
    smtp: smtp!,
  };

  // Filled in as each server starts, so stop() knows what to stop.
  const running: { dovecot?: ChildProcess } = {};
  let postfixStarted = false;
  let stopped = false;
  const logs = (lines = 30): string =>
    [
      `--- dovecot log (${layout.dovecotLog}) ---`,
      tailFile(layout.dovecotLog, lines),
      `--- postfix log (${layout.postfixLog}) ---`,
      tailFile(layout.postfixLog, lines),
      `--- commands (${layout.commandLog}) ---`,
      tailFile(layout.commandLog, lines),
    ].join('\n');

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', emergencyStop);
    const problems: string[] = [];
    if (postfixStarted) {
      const problem = await stopPostfix(layout);
      if (problem) problems.push(problem);
    }
    if (running.dovecot) {
      const problem = await stopDovecot(running.dovecot);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) {
      // Keep the folder: its logs explain what went wrong.
      throw new Error(`real servers did not stop cleanly (${root} kept):\n${problems.join('\n')}\n${logs()}`);
    }
    rmSync(root, { recursive: true, force: true });
  };
  // If a test file dies without calling stop(), do not leave daemons behind.
  const emergencyStop = (): void => {
    if (postfixStarted)
      spawnSync('/usr/sbin/postfix', ['-c', layout.postfixConfigDir, 'stop'], { stdio: 'ignore' });
    running.dovecot?.kill('SIGTERM');
  };
  process.on('exit', emergencyStop);

  const fail = async (what: string): Promise<never> => {
    const detail = logs();
    try {
      await stop();
    } catch {
      // The start failure is the error worth reporting; its logs are already in `detail`.
    }
    throw new Error(`real servers: ${what}\n${detail}`);
  };

  try {
    writeFiles(layout, ports, vmail);
    await makeCertificate(layout);
  } catch (err) {
    return fail(`preparing ${root} failed: ${(err as Error).message}`);
  }

  // Dovecot in the foreground as our child: its exit is visible, and stop() is a plain signal.
  const fd = openSync(layout.commandLog, 'a');
  const dovecot = spawn('/usr/sbin/dovecot', ['-F', '-c', layout.dovecotConf], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  running.dovecot = dovecot;
  dovecot.unref();
  let dovecotExit: string | undefined;
  dovecot.once('exit', (code, signal) => (dovecotExit = `dovecot exited (code ${code}, signal ${signal})`));
  dovecot.once('error', (err) => (dovecotExit = `dovecot could not run: ${err.message}`));
  const dovecotPorts = [ports.imap, ports.imaps, ports.pop3, ports.pop3s, ports.lmtp, ports.auth];
  const dovecotUp = await waitUntil(
    async () =>
      dovecotExit !== undefined || (await Promise.all(dovecotPorts.map(isListening))).every(Boolean),
    START_TIMEOUT_MS,
  );
  if (dovecotExit !== undefined || !dovecotUp) {
    return fail(
      `Dovecot did not start: ${dovecotExit ?? `ports ${dovecotPorts.join(', ')} not all listening after ${START_TIMEOUT_MS} ms`}`,
    );
  }

  postfixStarted = true;
  let started;
  try {
    started = await runLogged(
      '/usr/sbin/postfix',
      ['-c', layout.postfixConfigDir, 'start'],
      layout.commandLog,
    );
  } catch (err) {
    return fail(`Postfix did not start: ${(err as Error).message}`);
  }
  if (started.code !== 0) {
    // Postfix reports startup failures to syslog, which test machines often lack; postconf at
    // least shows configuration syntax problems on stderr.
    const postconf = spawnSync('/usr/sbin/postconf', ['-c', layout.postfixConfigDir, '-n'], {
      encoding: 'utf8',
    });
    return fail(
      `Postfix did not start: \`postfix -c ${layout.postfixConfigDir} start\` exited with ${started.code ?? started.signal}` +
        ` (postconf says: ${postconf.stderr.trim() || 'no warnings'}; if the postfix log below is empty, check` +
        ' that maillog_file is under maillog_file_prefixes and the queue and data directories exist)',
    );
  }
  if (!(await waitUntil(() => isListening(ports.smtp), START_TIMEOUT_MS))) {
    return fail(`Postfix started but nothing listens on ${HOST}:${ports.smtp} after ${START_TIMEOUT_MS} ms`);
  }

  const caCertPem = readFileSync(layout.certFile, 'utf8');
  const userOf = (user: TestUser | string): TestUser => {
    const name = typeof user === 'string' ? user : user.username;
    const found = TEST_USERS.find((u) => u.username === name || u.address === name);
    if (!found) throw new Error(`unknown test user ${name}`);
    return found;
  };
  const inboxCount = (user: TestUser | string): number => countMaildir(layout, userOf(user));

  return {
    imap: { host: HOST, port: ports.imap },
    imaps: { host: HOST, port: ports.imaps },
    pop3: { host: HOST, port: ports.pop3 },
    pop3s: { host: HOST, port: ports.pop3s },
    smtp: { host: HOST, port: ports.smtp },
    lmtp: { host: HOST, port: ports.lmtp },
    users: TEST_USERS,
    caCertPem,
    root,
    logs,
    inboxCount,
    async waitForDelivery(user, count, timeoutMs = 10_000) {
      const u = userOf(user);
      if (!(await waitUntil(() => countMaildir(layout, u) >= count, timeoutMs))) {
        throw new Error(
          `expected ${count} message(s) in ${u.address}'s INBOX within ${timeoutMs} ms, found ${countMaildir(layout, u)}\n${logs()}`,
        );
      }
    },
    stop,
  };
}

function ensureVmailUser(): { uid: number; gid: number } {
  const lookup = (): { uid: number; gid: number } | undefined => {
    const r = spawnSync('id', ['vmail'], { encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
    const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  // Another test file may create it at the same moment; whoever loses just looks it up again.
  const created = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'vmail'],
    {
      encoding: 'utf8',
    },
  );
  const after = lookup();
  if (!after) {
    throw new Error(
      `cannot create the vmail system user: useradd said ${created.stderr.trim() || `exit ${created.status}`}`,
    );
  }
  return after;
}

function writeFiles(layout: Layout, ports: Ports, vmail: { uid: number; gid: number }): void {
  for (const dir of [
    `${layout.root}/tls`,
    `${layout.root}/dovecot`,
    layout.postfixConfigDir,
    layout.postfixQueueDir,
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  createPostfixDirectories(layout);
  mkdirSync(layout.mailRoot, { recursive: true });
  chownSync(layout.mailRoot, vmail.uid, vmail.gid);

  writeFileSync(layout.dovecotConf, dovecotConf(layout, ports, vmail.uid));
  // Dovecot's auth process (user dovecot) reads the passwd file; it holds only test passwords.
  writeFileSync(layout.passwdFile, dovecotPasswd(TEST_USERS), { mode: 0o644 });
  writeFileSync(`${layout.postfixConfigDir}/main.cf`, postfixMainCf(layout, ports, TEST_USERS));
  writeFileSync(`${layout.postfixConfigDir}/master.cf`, postfixMasterCf(ports));
  writeFileSync(layout.virtualMailboxFile, postfixVirtualMailboxes(TEST_USERS));
}

/**
 * The queue and data directories with the owners and modes of Postfix's postfix-files. Made here
 * so that `postfix start` can skip its integrity check (`quick-start`), which takes seconds.
 */
function createPostfixDirectories(layout: Layout): void {
  const postfix = uidOf('postfix');
  const postdrop = gidOf('postdrop');
  const owned = (path: string, mode: number, uid: number, gid: number): void => {
    mkdirSync(path, { recursive: true });
    chownSync(path, uid, gid);
    chmodSync(path, mode);
  };
  owned(layout.postfixQueueDir, 0o755, 0, 0);
  owned(`${layout.postfixQueueDir}/pid`, 0o755, 0, 0);
  for (const name of [
    'active',
    'bounce',
    'corrupt',
    'defer',
    'deferred',
    'flush',
    'hold',
    'incoming',
    'private',
    'saved',
    'trace',
  ]) {
    owned(`${layout.postfixQueueDir}/${name}`, 0o700, postfix, 0);
  }
  owned(`${layout.postfixQueueDir}/maildrop`, 0o730, postfix, postdrop);
  owned(`${layout.postfixQueueDir}/public`, 0o710, postfix, postdrop);
  owned(layout.postfixDataDir, 0o700, postfix, 0);
  writeFileSync(`${layout.postfixQueueDir}/quick-start`, '');
}

function uidOf(user: string): number {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const uid = Number(r.stdout.trim());
  if (r.status === 0 && Number.isInteger(uid)) return uid;
  throw new Error(`user ${user} is missing: is the postfix package installed?`);
}

function gidOf(group: string): number {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${group}:`));
  const gid = Number(line?.split(':')[2]);
  if (Number.isInteger(gid)) return gid;
  throw new Error(`group ${group} is missing: is the postfix package installed?`);
}

async function makeCertificate(layout: Layout): Promise<void> {
  // An EC key takes milliseconds; RSA 2048 takes a second or more on a busy machine.
  const args = [
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256'],
    ['-days', '2', '-keyout', layout.keyFile, '-out', layout.certFile, '-subj', '/CN=mx.example.test'],
    ['-addext', 'subjectAltName=DNS:mx.example.test,DNS:localhost,IP:127.0.0.1'],
  ].flat();
  const r = await runLogged('/usr/bin/openssl', args, layout.commandLog);
  if (r.code !== 0) throw new Error(`openssl req exited with ${r.code ?? r.signal}`);
}

function readMasterPid(layout: Layout): number | undefined {
  try {
    const pid = Number(readFileSync(`${layout.postfixQueueDir}/pid/master.pid`, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Returns a problem description, or undefined when Postfix is really gone. */
async function stopPostfix(layout: Layout): Promise<string | undefined> {
  const pid = readMasterPid(layout);
  try {
    await runLogged(
      '/usr/sbin/postfix',
      ['-c', layout.postfixConfigDir, 'stop'],
      layout.commandLog,
      STOP_TIMEOUT_MS,
    );
  } catch (err) {
    if (pid === undefined) return `postfix stop failed: ${(err as Error).message}`;
  }
  if (pid === undefined) return undefined;
  if (await waitUntil(() => !processRunning(pid), STOP_TIMEOUT_MS)) return undefined;
  // `postfix stop` asks nicely; a master that ignores it is killed (its children follow it).
  process.kill(pid, 'SIGKILL');
  if (await waitUntil(() => !processRunning(pid), 2000)) return undefined;
  return `postfix master (pid ${pid}) still running after stop and SIGKILL`;
}

async function stopDovecot(child: ChildProcess): Promise<string | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  // The child was unref'd so a forgotten stop() cannot hang the runner; waiting for it must not.
  child.ref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)),
  );
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return undefined;
  child.kill('SIGKILL');
  return `dovecot (pid ${child.pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS} ms and was killed`;
}

function countMaildir(layout: Layout, user: TestUser): number {
  const [local, domain] = user.address.split('@');
  const maildir = `${layout.mailRoot}/${domain}/${local}/Maildir`;
  let count = 0;
  for (const sub of ['new', 'cur']) {
    try {
      count += readdirSync(`${maildir}/${sub}`).filter((name) => !name.startsWith('.')).length;
    } catch {
      // No Maildir yet: Dovecot creates it on first delivery or login.
    }
  }
  return count;
}
