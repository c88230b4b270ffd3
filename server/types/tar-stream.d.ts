// tar-stream 2.x ships no types; only what postgis-core.ts uses.
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';
  export interface Headers {
    name: string;
    type?: string;
    size?: number;
    mode?: number;
    mtime?: Date;
  }
  export interface Extract extends Writable {
    on(event: 'entry', listener: (header: Headers, stream: Readable, next: () => void) => void): this;
    on(event: 'finish', listener: () => void): this;
  }
  export interface Pack extends Readable {
    entry(header: Headers, callback?: (error?: Error | null) => void): Writable;
    finalize(): void;
  }
  export function extract(): Extract;
  export function pack(): Pack;
}
