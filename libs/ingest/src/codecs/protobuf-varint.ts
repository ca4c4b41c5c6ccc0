// Protobuf varints for the remote_write encoders (./remote-write.codec.ts and the agent's
// ./remote-write-encoder.ts). Imports nothing, so the agent's encoder stays light.

/** Bytes a non-negative integer takes as a varint. */
export function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes a non-negative integer as a varint at `pos`; returns the position after it. */
export function writeVarint(out: Buffer, pos: number, v: number): number {
  while (v >= 128) {
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}
