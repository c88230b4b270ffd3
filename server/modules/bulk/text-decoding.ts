/**
 * UTF-8, or GB18030 (a superset of GBK) as Excel in China saves CSV, decided while the bytes
 * stream in: the first non-ASCII bytes decide. Everything before them is ASCII, the same in both,
 * so nothing read so far has to be decoded again and the file is never held whole.
 */
import { badRequest } from '../../http/errors.js';

export type TextEncodingName = 'utf-8' | 'gb18030';

export interface StreamingTextDecoder {
  /** Text of the next chunk (possibly '' while a multi-byte character is incomplete). */
  write(chunk: Uint8Array): string;
  /** The rest at the end of the input. */
  end(): string;
  /** Undecided (pure ASCII so far) reads as UTF-8. */
  readonly encoding: TextEncodingName;
}

const firstNonAscii = (bytes: Uint8Array) => bytes.findIndex((b) => b >= 0x80);

const mixedEncodings = () =>
  badRequest(
    'The file is not valid UTF-8 throughout (it mixes encodings); save it as "CSV UTF-8" and upload again',
  );

export function streamingTextDecoder(): StreamingTextDecoder {
  let mode: 'undecided' | TextEncodingName = 'undecided';
  let utf8 = new TextDecoder('utf-8', { fatal: true });
  const gb = new TextDecoder('gb18030');
  /** Undecided bytes from the first non-ASCII one on (a character or two at most). */
  let held: Uint8Array = new Uint8Array(0);
  let asciiSeen = false;

  const decideOn = (bytes: Uint8Array, final: boolean): string => {
    const attempt = new TextDecoder('utf-8', { fatal: true });
    try {
      const text = attempt.decode(bytes, { stream: !final });
      if (/[^\x00-\x7f]/.test(text)) {
        mode = 'utf-8';
        utf8 = attempt;
        held = new Uint8Array(0);
        return text;
      }
      // Only an incomplete character so far (or a BOM): wait for more bytes.
      if (!final) {
        held = bytes;
        return '';
      }
      return text;
    } catch {
      mode = 'gb18030';
      held = new Uint8Array(0);
      return final ? gb.decode(bytes) : gb.decode(bytes, { stream: true });
    }
  };

  return {
    get encoding() {
      return mode === 'undecided' ? 'utf-8' : mode;
    },
    write(chunk) {
      if (mode === 'gb18030') return gb.decode(chunk, { stream: true });
      if (mode === 'utf-8') {
        try {
          return utf8.decode(chunk, { stream: true });
        } catch {
          throw mixedEncodings();
        }
      }
      if (held.length === 0) {
        const at = firstNonAscii(chunk);
        if (at < 0) {
          asciiSeen ||= chunk.length > 0;
          return Buffer.from(chunk).toString('latin1');
        }
        // A UTF-8 byte-order mark right at the start is not text.
        const bom = !asciiSeen && at === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        const ascii = Buffer.from(chunk.subarray(0, at)).toString('latin1');
        asciiSeen ||= at > 0;
        const rest = chunk.subarray(bom ? 3 : at);
        if (bom) {
          mode = 'utf-8';
          return write(rest);
        }
        return ascii + decideOn(rest, false);
      }
      const joined = new Uint8Array(held.length + chunk.length);
      joined.set(held);
      joined.set(chunk, held.length);
      return decideOn(joined, false);
    },
    end() {
      if (mode === 'gb18030') return gb.decode();
      if (mode === 'utf-8') {
        try {
          return utf8.decode();
        } catch {
          throw mixedEncodings();
        }
      }
      return held.length ? decideOn(held, true) : '';
    },
  };

  function write(rest: Uint8Array): string {
    try {
      return utf8.decode(rest, { stream: true });
    } catch {
      throw mixedEncodings();
    }
  }
}
