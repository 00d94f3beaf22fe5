// The part of the WebAssembly JavaScript API the JIT uses. TypeScript declares
// WebAssembly only in its DOM and web-worker libraries, which this project
// does not load (Node has the API all the same); esbuild's types declare an
// empty Module, which these declarations merge with.

declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  // eslint-disable-next-line no-var
  var Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Module {}
  // eslint-disable-next-line no-var
  var Module: { prototype: Module; new (bytes: Uint8Array<ArrayBuffer>): Module };
  type Imports = Record<string, Record<string, unknown>>;
  interface TableDescriptor {
    element: 'anyfunc';
    initial: number;
  }
  interface Table {
    readonly length: number;
    grow(delta: number): number;
    set(index: number, value: unknown): void;
  }
  // eslint-disable-next-line no-var
  var Table: { prototype: Table; new (descriptor: TableDescriptor): Table };
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  // eslint-disable-next-line no-var
  var Instance: { prototype: Instance; new (module: Module, imports?: Imports): Instance };
}
