// Extension start: time to load the bundled dist/extension.js (built by `npm run build`; this
// benchmark does not build) and run activate() against a stub `vscode` module, and the bundle's
// size. The stub answers every property with a callable, constructible no-op, so the figure is
// the extension's own work, not VS Code's.
// Run: node --import tsx test/bench/extension-start.ts
import { readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { emitRows } from './report.js';

const bundle = join(process.cwd(), 'dist', 'extension.js');
// The bundle is CommonJS, loaded the way VS Code's extension host loads it.
const load = Module.createRequire(bundle);

/** A value that is every API at once: callable, constructible, any property, never a thenable. */
function anything(): unknown {
  const target = function stub(): void {};
  const assigned = new Map<string | symbol, unknown>();
  const proxy: unknown = new Proxy(target, {
    set(_t, key, value) {
      assigned.set(key, value);
      return true;
    },
    get(_t, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined; // awaiting a stub must not hang
      if (typeof key === 'symbol') return key === Symbol.iterator ? [][Symbol.iterator] : undefined;
      if (key === 'length') return 0;
      return proxy;
    },
    apply: () => proxy,
    construct: () => anything() as object,
  });
  return proxy;
}

interface ModuleInternals {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

function installVscodeStub(): void {
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename.bind(Module);
  internals._resolveFilename = (request: string, ...rest: unknown[]) =>
    request === 'vscode' ? 'vscode-stub' : original(request, ...rest);
  // A plain object of the names the bundle uses (esbuild's ESM interop copies own keys only).
  const names = new Set(
    Array.from(readFileSync(bundle, 'utf8').matchAll(/\bvscode\d*\.([A-Za-z_]\w*)/g), (m) => m[1] ?? ''),
  );
  const api: Record<string, unknown> = {};
  for (const name of names) if (name) api[name] = anything();
  const stubModule = new Module('vscode-stub');
  stubModule.exports = api;
  stubModule.loaded = true;
  load.cache['vscode-stub'] = stubModule;
}

async function main(): Promise<void> {
  const size = statSync(bundle).size;
  installVscodeStub();
  const context = {
    subscriptions: [] as unknown[],
    extensionPath: process.cwd(),
    extensionUri: anything(),
    globalState: anything(),
    workspaceState: anything(),
    secrets: anything(),
    globalStorageUri: anything(),
    storageUri: anything(),
    logUri: anything(),
    extensionMode: 1,
    asAbsolutePath: (p: string) => join(process.cwd(), p),
  };
  const t0 = process.hrtime.bigint();
  const ext = load(bundle) as { activate?: (ctx: unknown) => unknown };
  const loaded = process.hrtime.bigint();
  let error = '';
  try {
    await ext.activate?.(context);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const done = process.hrtime.bigint();
  const loadMs = Number(loaded - t0) / 1e6;
  const totalMs = Number(done - t0) / 1e6;
  console.log(
    `dist/extension.js ${(size / 1024).toFixed(0)} KiB; require ${loadMs.toFixed(1)} ms, require + activate ${totalMs.toFixed(1)} ms` +
      (error ? `; activate threw against the stub: ${error}` : '') +
      `; ${context.subscriptions.length} subscriptions`,
  );
  emitRows([
    { name: 'extension: require dist/extension.js', value: loadMs, unit: 'ms' },
    {
      name: 'extension: require + activate()',
      value: totalMs,
      unit: 'ms',
      target: '< 50',
      met: totalMs < 50 && !error,
    },
    {
      name: 'extension: bundle size',
      value: size / 1024,
      unit: 'KiB',
      target: '< 1024',
      met: size < 1024 * 1024,
    },
  ]);
  // The extension may have started timers or watchers against the stub; the figures are out.
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
