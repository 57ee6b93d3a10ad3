// The measuring half of extension-start.ts. It is bundled by esbuild and run by plain `node`
// (no tsx loader hooks, which would slow the require), the way VS Code's extension host loads
// the extension: it requires the bundle against a stub `vscode` module, runs activate() and
// prints one JSON line (ExtensionLoadResult).
// Usage: node _extension-load.js BUNDLE PACKAGE_JSON VSCODE_D_TS
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';

export interface ExtensionLoadResult {
  readonly requireMs: number;
  readonly activateMs: number;
  readonly subscriptions: number;
  /** The message activate() (or the require) threw against the stub; empty when it did not. */
  readonly error: string;
}

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

/**
 * The top-level names of the `vscode` module (namespaces, classes, enums, functions, constants),
 * read from its type declarations: esbuild's ESM interop copies only the module's own keys, and
 * a minified bundle gives no reliable way to find the names it uses.
 */
function vscodeApiNames(declarations: string): string[] {
  const start = declarations.indexOf("declare module 'vscode' {");
  if (start < 0) throw new Error("no `declare module 'vscode'` in the vscode type declarations");
  const body = declarations.slice(start);
  // One level of indentation: members of the module itself, not of its namespaces.
  const names = Array.from(
    body.matchAll(/^(?:\t| {4})export (?:declare )?(?:namespace|class|enum|function|const|let) (\w+)/gm),
    (m) => m[1] ?? '',
  );
  return [...new Set(names.filter((n) => n !== ''))];
}

interface ModuleInternals {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

function installVscodeStub(load: NodeJS.Require, names: readonly string[]): void {
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename.bind(Module);
  internals._resolveFilename = (request: string, ...rest: unknown[]) =>
    request === 'vscode' ? 'vscode-stub' : original(request, ...rest);
  const api: Record<string, unknown> = {};
  for (const name of names) api[name] = anything();
  const stubModule = new Module('vscode-stub');
  stubModule.exports = api;
  stubModule.loaded = true;
  load.cache['vscode-stub'] = stubModule;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const [bundle, packageJsonPath, declarationsPath] = process.argv.slice(2);
  if (!bundle || !packageJsonPath || !declarationsPath)
    throw new Error('usage: _extension-load.js BUNDLE PACKAGE_JSON VSCODE_D_TS');
  // The bundle is CommonJS, loaded the way VS Code's extension host loads it.
  const load = Module.createRequire(bundle);
  installVscodeStub(load, vscodeApiNames(readFileSync(declarationsPath, 'utf8')));
  // VS Code has the manifest parsed before it activates the extension: not part of the figure.
  const packageJSON: unknown = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  const extensionPath = dirname(packageJsonPath);
  const context = {
    subscriptions: [] as unknown[],
    extensionPath,
    extensionUri: anything(),
    extension: { id: 'mailwire.mailwire', extensionPath, extensionUri: anything(), packageJSON },
    globalState: anything(),
    workspaceState: anything(),
    secrets: anything(),
    globalStorageUri: anything(),
    storageUri: anything(),
    logUri: anything(),
    extensionMode: 1,
    asAbsolutePath: (p: string) => `${extensionPath}/${p}`,
  };
  let error = '';
  const t0 = process.hrtime.bigint();
  let ext: { activate?: (ctx: unknown) => unknown } = {};
  try {
    ext = load(bundle) as typeof ext;
  } catch (err) {
    error = `require: ${errorMessage(err)}`;
  }
  const loaded = process.hrtime.bigint();
  try {
    await ext.activate?.(context);
  } catch (err) {
    error = errorMessage(err);
  }
  const done = process.hrtime.bigint();
  const result: ExtensionLoadResult = {
    requireMs: Number(loaded - t0) / 1e6,
    activateMs: Number(done - loaded) / 1e6,
    subscriptions: context.subscriptions.length,
    error,
  };
  console.log(JSON.stringify(result));
  // The extension may have started timers or watchers against the stub; the figures are out.
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
