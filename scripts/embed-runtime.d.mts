// Types for scripts/embed-runtime.mjs, for the test that keeps its output current.
export declare const RUNTIME_DIR: string;
export declare const OUTPUT: string;
export declare function renderRuntimeModule(runtimeDir?: string): string;
