import type * as Libxml2Module from 'libxml2-wasm';
import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';

export type Libxml2 = typeof Libxml2Module;

type EsmImport = (specifier: string) => Promise<Libxml2>;

// libxml2-wasm is ESM-only with top-level await, so `require` cannot load it (not even Node 20's
// require(esm)), and tsc (module commonjs) would compile `import()` into `require`. A
// Function-constructor `import()` keeps a real dynamic import in the compiled app.
const nativeImport = new Function('specifier', 'return import(specifier)') as EsmImport;

/**
 * Under Jest (CommonJS, no --experimental-vm-modules) that import() is refused because the code
 * runs in a vm context. There, compile the same import() in the main context with Node's
 * default ESM loader (`vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`, Node ≥ 20.12; it prints one
 * ExperimentalWarning). Nothing in jest.config.js needs to change.
 */
function mainContextImport(): EsmImport {
  return vm.runInThisContext('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }) as EsmImport;
}

async function importLibxml2(): Promise<Libxml2> {
  const url = pathToFileURL(require.resolve('libxml2-wasm')).href;
  try {
    return await nativeImport(url);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) throw error;
    return mainContextImport()(url);
  }
}

let loading: Promise<Libxml2> | undefined;

/** Loads libxml2-wasm once per process (crypto-lab §4: libxml2 2.15 compiled to wasm). */
export function loadLibxml2(): Promise<Libxml2> {
  loading ??= importLibxml2().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
