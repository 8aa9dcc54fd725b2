/**
 * The WebAssembly globals the image codec uses. Node has them all; TypeScript declares them only in
 * its DOM library, which the server's code does not load (interfaces merge with any other
 * declaration of the namespace).
 */
declare global {
  namespace WebAssembly {
    interface Module {}
    const Module: { prototype: Module, new (bytes: Uint8Array | ArrayBuffer): Module }
    interface Instance { readonly exports: Exports }
    const Instance: { prototype: Instance, new (module: Module, imports?: Imports): Instance }
    type Exports = Record<string, unknown>
    type Imports = Record<string, Record<string, unknown>>
    function compile (bytes: Uint8Array | ArrayBuffer): Promise<Module>
  }
}
export {}
