// Starts a private code-server (VS Code 1.100 served to a browser) on a free loopback port, with its
// own user-data, extensions and workspace folders, after installing the packaged .vsix into it.
// Paths come from scripts/e2e.mjs through the environment. Failures throw with code-server's output.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface E2eEnvironment {
  readonly codeServer: string;
  readonly chromium: string;
  readonly vsix: string;
  readonly artifacts: string;
}

/** What scripts/e2e.mjs prepared; throws (so the suite fails, never skips) when run without it. */
export function e2eEnvironment(): E2eEnvironment {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the end-to-end tests with npm run test:e2e`);
    if (name !== 'MAILWIRE_E2E_ARTIFACTS' && !existsSync(value))
      throw new Error(`${name} points to ${value}, which does not exist`);
    return value;
  };
  return {
    codeServer: read('MAILWIRE_E2E_CODE_SERVER'),
    chromium: read('MAILWIRE_E2E_CHROMIUM'),
    vsix: read('MAILWIRE_E2E_VSIX'),
    artifacts: read('MAILWIRE_E2E_ARTIFACTS'),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface CodeServerOptions {
  readonly env: E2eEnvironment;
  /** Temp folder owned by the caller; code-server's folders are made inside it. */
  readonly root: string;
  /** The folder opened as the workspace. */
  readonly workspace: string;
  /** User settings (settings.json). */
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly userDataDir: string;
  /** Everything code-server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const userDataDir = join(options.root, 'user-data');
  const extensionsDir = join(options.root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  // Its own config file, so nothing is written to the user's ~/.config/code-server.
  const config = join(options.root, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const common = [
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];

  const install = spawnSync(
    process.execPath,
    [options.env.codeServer, ...common, '--install-extension', options.env.vsix, '--force'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(
      `code-server could not install ${options.env.vsix} (exit ${String(install.status)}):\n` +
        `${install.stdout}\n${install.stderr}`,
    );
  }

  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      options.env.codeServer,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-getting-started-override',
      '--ignore-last-opened',
      options.workspace,
    ],
    // Its own process group, so stop() also ends the extension host and file watchers it spawns.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PASSWORD: '' } },
  );
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => killGroup(child, exited);
  try {
    await waitForHttp(url, child, () => output, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, userDataDir, output: () => output, stop };
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${String(child.exitCode ?? child.signalCode)}):\n${output()}`);
    }
    try {
      const response = await fetch(url + 'healthz');
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await exited;
  }
  // The extension host and watchers are in the same group; wait until they are gone too.
  const groupAlive = (): boolean => {
    try {
      process.kill(-(child.pid as number), 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive()) signal('SIGKILL');
}
