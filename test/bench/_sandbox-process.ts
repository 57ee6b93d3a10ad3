// Starts the sandbox in a child process (node --import tsx), so a benchmark in this process
// measures only the client's CPU and memory. stop() closes its stdin and waits for it to exit.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SandboxPorts } from '../../src/sandbox/launcher.js';

export interface SandboxProcess {
  readonly ports: Readonly<SandboxPorts>;
  stop(): Promise<void>;
}

/** `bigMessageMb`: deliver one message of that many MB to alice's INBOX before reporting ready. */
export function startSandboxProcess(bigMessageMb = 0): Promise<SandboxProcess> {
  // Relative to the repository root, where npm run bench runs (__dirname is unreliable under tsx).
  // Under `npm run bench` the child is bundled like the benchmark (scripts/bench.mjs says why).
  const built = process.env.MAILWIRE_BENCH_BUILD;
  const args = built
    ? [join(process.cwd(), built, '_sandbox-child.js')]
    : ['--import', 'tsx', join(process.cwd(), 'test', 'bench', '_sandbox-child.ts')];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, MAILWIRE_BENCH_BIG_MB: String(bigMessageMb) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code ?? 'a signal'}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { ports } = JSON.parse(out.slice(0, nl)) as { ports: SandboxPorts };
      resolve({
        ports,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
  });
}
