/** Appends bits most-significant first into a growing byte buffer. */
export class BitWriter {
  private buf: Uint8Array;
  private byte = 0;
  private bitsInByte = 0;
  private length = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(Math.max(8, initialBytes));
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 32) of `value`. */
  write(value: number, n: number): void {
    // Split into ≤ 8-bit pieces so no shift ever exceeds 31 bits.
    while (n > 0) {
      const room = 8 - this.bitsInByte;
      const take = n < room ? n : room;
      const shift = n - take;
      const piece = (shift >= 32 ? 0 : value >>> shift) & ((1 << take) - 1);
      this.byte = (this.byte << take) | piece;
      this.bitsInByte += take;
      n -= take;
      if (this.bitsInByte === 8) this.flushByte();
    }
  }

  writeBit(bit: boolean | number): void {
    this.write(bit ? 1 : 0, 1);
  }

  /** Writes 64 bits given as two 32-bit words. */
  write64(hi: number, lo: number): void {
    this.write(hi >>> 0, 32);
    this.write(lo >>> 0, 32);
  }

  finish(): Uint8Array {
    if (this.bitsInByte > 0) {
      this.byte <<= 8 - this.bitsInByte;
      this.bitsInByte = 8;
      this.flushByte();
    }
    return this.buf.subarray(0, this.length);
  }

  private flushByte(): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = this.byte & 0xff;
    this.byte = 0;
    this.bitsInByte = 0;
  }
}

export class BitReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  read(n: number): number {
    let out = 0;
    while (n > 0) {
      const byteIndex = this.pos >>> 3;
      if (byteIndex >= this.buf.length) throw new RangeError('chunk truncated');
      const offset = this.pos & 7;
      const avail = 8 - offset;
      const take = n < avail ? n : avail;
      const bits = (this.buf[byteIndex] >>> (avail - take)) & ((1 << take) - 1);
      // Multiplication instead of << keeps results above 2^31 positive.
      out = out * (1 << take) + bits;
      this.pos += take;
      n -= take;
    }
    return out;
  }

  readBit(): number {
    return this.read(1);
  }
}
