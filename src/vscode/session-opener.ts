// The two services the extension calls but does not own, behind small interfaces so the
// command logic can be tested with fakes: opening a session (src/session/open.ts) and starting
// the sandbox (src/sandbox/launcher.ts).
import type { ManagedSession } from './session-manager.js';

export interface OpenRequest {
  readonly url: string;
  readonly acceptUnverified?: boolean;
  readonly transcriptFile?: string;
}

/** Never rejects in the real implementation; a failed connection is a closed session. */
export type SessionOpener = (options: OpenRequest) => Promise<ManagedSession>;

export interface RunningSandboxHandle {
  describe(): string;
  stop(): Promise<void>;
}

export type SandboxStarter = () => Promise<RunningSandboxHandle>;
