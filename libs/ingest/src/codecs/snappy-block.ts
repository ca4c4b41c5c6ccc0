import { IngestError, IngestErrorId, malformed } from '../ingest.errors';

interface SnappyBlock {
  compress(input: Uint8Array): Buffer;
  uncompress(input: Uint8Array): Buffer;
}

// The native `snappy` binding is several times faster; `snappyjs` (pure JS, same block format)
// keeps ingest working where the prebuilt binary is missing for the platform.
function loadSnappy(): SnappyBlock {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const native = require('snappy') as typeof import('snappy');
    return {
      compress: (input) => native.compressSync(input),
      uncompress: (input) => native.uncompressSync(input, { asBuffer: true }) as Buffer,
    };
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const js = require('snappyjs') as {
      compress(b: Uint8Array): Uint8Array;
      uncompress(b: Uint8Array): Uint8Array;
    };
    return {
      compress: (input) => Buffer.from(js.compress(input)),
      uncompress: (input) => Buffer.from(js.uncompress(input)),
    };
  }
}

const snappy = loadSnappy();

/**
 * The uncompressed length a snappy block announces in its preamble (a varint), read before
 * decompressing so a small body cannot make us allocate gigabytes.
 */
export function snappyUncompressedLength(input: Uint8Array): number {
  let result = 0;
  let shift = 1;
  for (let i = 0; i < 5 && i < input.length; i++) {
    const b = input[i];
    result += (b & 0x7f) * shift;
    if (b < 0x80) return result;
    shift *= 128;
  }
  throw malformed(
    'snappy: invalid block header (remote_write expects the snappy block format, not the framed stream format)',
  );
}

/** Decompresses a snappy block, refusing one that would expand past `maxBytes`. */
export function snappyUncompress(input: Uint8Array, maxBytes: number): Buffer {
  if (input.length === 0) throw malformed('snappy: empty body');
  const length = snappyUncompressedLength(input);
  if (length > maxBytes) {
    throw new IngestError(
      413,
      IngestErrorId.requestTooLarge,
      `decompressed body would be ${length} bytes, more than the limit of ${maxBytes}`,
    );
  }
  try {
    return snappy.uncompress(input);
  } catch (err) {
    throw malformed(`snappy: corrupt block (${(err as Error).message})`);
  }
}

export function snappyCompress(input: Uint8Array): Buffer {
  return snappy.compress(input);
}
