// The real services behind the interfaces in session-opener.ts. Loaded on first use, so the
// extension activates without loading the sandbox server or the codecs.
import { join } from 'node:path';
import type { OpenRequest, SandboxStarter, SessionOpener } from './session-opener.js';
import type { ManagedSession } from './session-manager.js';

/** The part of src/session/open.ts the extension uses. */
interface OpenModule {
  readonly openSession: (options: OpenRequest) => Promise<ManagedSession>;
}

export const openSessionService: SessionOpener = async (options) => {
  const { openSession } = (await import('../session/open.js')) as OpenModule;
  return openSession(options);
};

type SandboxModule = typeof import('../sandbox/launcher.js');

export const startSandboxService: SandboxStarter = async () => {
  const { startSandbox } = loadSandboxBundle();
  return startSandbox();
};

/**
 * The sandbox is its own bundle (dist/sandbox.js), loaded only when a user starts it: it carries
 * smtp-server and the MIME libraries, which the rest of the extension never needs. The path is
 * built at run time so the extension bundle does not pull it in.
 */
function loadSandboxBundle(): SandboxModule {
  const bundle = join(__dirname, 'sandbox.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle) as SandboxModule;
}
