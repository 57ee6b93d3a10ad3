// The real services behind the interfaces in session-opener.ts. Loaded on first use, so the
// extension activates without loading the sandbox server or the codecs.
import type { OpenRequest, SandboxStarter, SessionOpener } from './session-opener.js';
import type { ManagedSession } from './session-manager.js';

/** The agreed signature of src/session/open.ts (written separately). */
interface OpenModule {
  readonly openSession: (options: OpenRequest) => Promise<ManagedSession>;
}

export const openSessionService: SessionOpener = async (options) => {
  const { openSession } = (await import('../session/open.js')) as OpenModule;
  return openSession(options);
};

export const startSandboxService: SandboxStarter = async () => {
  const { startSandbox } = await import('../sandbox/launcher.js');
  return startSandbox();
};
