export function npyHeader(shape: number[], descr?: string): Buffer;
export class NpyUint8Writer {
  constructor(path: string, rowShape: number[]);
  readonly rows: number;
  append(row: Uint8Array): void;
  close(): number;
}
export function readNpyHeader(buf: Buffer): {
  descr: string | undefined;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
};
