// Everything one end-to-end run needs, started in order and stopped in reverse even when a later
// part fails: the sandbox mail server (in this process, free loopback ports, its own certificate
// folder), a temp workspace with a sample script, code-server with the packaged extension, and
// Chromium showing the workbench.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/launcher.js';
import { openWorkbenchPage, type RunningBrowser } from './browser.js';
import { e2eEnvironment, startCodeServer, type RunningCodeServer } from './code-server.js';
import { Workbench } from './workbench.js';

export interface E2eRun {
  readonly sandbox: RunningSandbox;
  readonly codeServer: RunningCodeServer;
  readonly browser: RunningBrowser;
  readonly workbench: Workbench;
  readonly workspace: string;
  readonly artifacts: string;
  stop(): Promise<void>;
}

export const SCRIPT_FILE = 'inbox-check.imap';

/** A sample script for step 5: several expectations that hold and one that deliberately fails. */
export function sampleScript(imapPort: number): string {
  return [
    '# Checks alice@example.test on the Mailwire sandbox (its public test password).',
    '@set password alice-password',
    '@timeout 5s',
    `@connect imap://127.0.0.1:${imapPort}`,
    'S: * OK',
    'C: a1 LOGIN alice {{password}}',
    'S: a1 OK',
    'C: a2 SELECT INBOX',
    'S: /^\\* (?<count>\\d+) EXISTS/',
    'S: a2 OK',
    'C: a3 FETCH 1:* (FLAGS)',
    'S: a3 OK',
    '# Deliberately wrong, to show how a failed expectation looks: LOGOUT answers OK.',
    'C: a4 LOGOUT',
    'S: * BYE',
    'S: a4 NO',
    '',
  ].join('\n');
}

const SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  // Ctrl+End then shows a full screen of the newest transcript lines, not one line at the top.
  'editor.scrollBeyondLastLine': false,
  'window.commandCenter': true,
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface E2eOptions {
  /** User settings merged over the defaults above (a test's own, e.g. workspace trust on). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2eRun> {
  const env = e2eEnvironment();
  const root = mkdtempSync(join(tmpdir(), 'mailwire-e2e-'));
  const stops: Array<() => Promise<void>> = [() => rm(root, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const sandbox = await startSandbox({
      ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
      certDir: join(root, 'sandbox-cert'),
    });
    stops.push(() => sandbox.stop());

    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, SCRIPT_FILE), sampleScript(sandbox.ports.imap));

    const codeServer = await startCodeServer({
      env,
      root,
      workspace,
      settings: {
        ...SETTINGS,
        'mailwire.transcript.directory': join(root, 'transcripts'),
        ...options.settings,
      },
    });
    stops.push(() => codeServer.stop());

    const browser = await openWorkbenchPage(env.chromium, codeServer.url);
    stops.push(() => browser.stop());

    const workbench = new Workbench(browser.page, env.artifacts);
    return { sandbox, codeServer, browser, workbench, workspace, artifacts: env.artifacts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
