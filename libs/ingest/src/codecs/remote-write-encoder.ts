// The remote_write 1.0 encoder alone, for processes that only send (tocsin-agent): this file
// imports nothing from the rest of @tocsin/ingest, whose index pulls in the TSDB, Prisma and
// NestJS (~100 MB of RSS in the agent), and it compresses with snappyjs (pure JS) rather than
// the native `snappy` addon that ./snappy-block.ts loads at import (+7 MB RSS, measured in
// docs/benchmarks.md). The decoder and the server side stay in ./remote-write.codec.ts.
//
//   WriteRequest { repeated TimeSeries timeseries = 1; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }

import { varintSize, writeVarint } from './protobuf-varint';

// snappyjs ships no types; this is the part of its compressor used here.
interface SnappyCompressor {
  maxCompressedLength(): number;
  compressToBuffer(out: Uint8Array): number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SnappyCompressor } = require('snappyjs/snappy_compressor') as {
  SnappyCompressor: new (input: Uint8Array) => SnappyCompressor;
};

const LEN = 2; // protobuf wire type: length-delimited
const TAG_SERIES = (1 << 3) | LEN;
const TAG_LABEL = (1 << 3) | LEN;
const TAG_NAME = (1 << 3) | LEN;
const TAG_VALUE = (2 << 3) | LEN;
const TAG_SAMPLE = (2 << 3) | LEN;
const TAG_SAMPLE_VALUE = (1 << 3) | 1; // fixed64
const TAG_SAMPLE_TS = (2 << 3) | 0; // varint

/**
 * A series' labels as the `labels` fields of a protobuf TimeSeries, sorted by name as
 * Prometheus sends them. A sender whose series repeat every interval encodes them once and
 * passes the bytes to {@link WriteRequestBuilder.add} each time.
 */
export function encodeLabels(labels: Readonly<Record<string, string>>): Buffer {
  const names = Object.keys(labels).sort();
  let size = 0;
  for (const n of names) {
    const inner = labelSize(n, labels[n]);
    size += 1 + varintSize(inner) + inner;
  }
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const n of names) {
    const v = labels[n];
    const nameLen = Buffer.byteLength(n);
    const valueLen = Buffer.byteLength(v);
    out[pos++] = TAG_LABEL;
    pos = writeVarint(out, pos, labelSize(n, v));
    out[pos++] = TAG_NAME;
    pos = writeVarint(out, pos, nameLen);
    pos += out.write(n, pos, 'utf8');
    out[pos++] = TAG_VALUE;
    pos = writeVarint(out, pos, valueLen);
    pos += out.write(v, pos, 'utf8');
  }
  return out;
}

function labelSize(name: string, value: string): number {
  const n = Buffer.byteLength(name);
  const v = Buffer.byteLength(value);
  return 1 + varintSize(n) + n + 1 + varintSize(v) + v;
}

/**
 * Builds one snappy-compressed WriteRequest of single-sample series into a buffer that is kept
 * and reused, so a sender that pushes every few seconds does not allocate per sample: only the
 * finished body (exactly its compressed size) is new.
 */
export class WriteRequestBuilder {
  private buf: Buffer;
  private pos = 0;
  private scratch: Buffer;
  private readonly value = new Float64Array(1);
  private readonly valueBytes = new Uint8Array(this.value.buffer);

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.scratch = Buffer.allocUnsafe(0);
  }

  /** Series added since the last {@link finish}. */
  count = 0;

  /**
   * Appends a series with one sample. `labels` comes from {@link encodeLabels}; the timestamp
   * must be a non-negative integer of milliseconds.
   */
  add(labels: Uint8Array, timestampMs: number, value: number): void {
    if (!Number.isSafeInteger(timestampMs) || timestampMs < 0)
      throw new Error(`remote_write: bad timestamp ${timestampMs}`);
    const sampleSize = 1 + 8 + 1 + varintSize(timestampMs);
    const seriesSize = labels.length + 1 + 1 + sampleSize; // sampleSize < 128: a one-byte length
    this.reserve(1 + varintSize(seriesSize) + seriesSize);
    const out = this.buf;
    let pos = this.pos;
    out[pos++] = TAG_SERIES;
    pos = writeVarint(out, pos, seriesSize);
    out.set(labels, pos);
    pos += labels.length;
    out[pos++] = TAG_SAMPLE;
    out[pos++] = sampleSize;
    out[pos++] = TAG_SAMPLE_VALUE;
    // Byte for byte, so a NaN's payload (Prometheus' staleness marker) survives.
    this.value[0] = value;
    out.set(this.valueBytes, pos);
    pos += 8;
    out[pos++] = TAG_SAMPLE_TS;
    this.pos = writeVarint(out, pos, timestampMs);
    this.count++;
  }

  /** The uncompressed WriteRequest so far (a view into the reused buffer: copy to keep it). */
  protoView(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The remote_write body (snappy block) of everything added; the builder starts over empty. */
  finish(): Buffer {
    const compressor = new SnappyCompressor(this.buf.subarray(0, this.pos));
    const max = compressor.maxCompressedLength();
    if (this.scratch.length < max) this.scratch = Buffer.allocUnsafe(max);
    const len = compressor.compressToBuffer(this.scratch);
    this.pos = 0;
    this.count = 0;
    return Buffer.from(this.scratch.subarray(0, len));
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
