declare module "espeak-ng" {
  const factory: (opts: { arguments: string[] }) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;
  export default factory;
}
