import { CopyRows } from './sample-store';

/** A binary COPY of (int8, bytea) rows as PostgreSQL writes it. */
function copyStream(rows: Array<[bigint, Buffer | null]>, extension = 0): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const head = Buffer.alloc(8 + extension);
  head.writeUInt32BE(0, 0);
  head.writeUInt32BE(extension, 4);
  parts.push(head);
  for (const [id, data] of rows) {
    const h = Buffer.alloc(18);
    h.writeInt16BE(2, 0);
    h.writeInt32BE(8, 2);
    h.writeBigInt64BE(id, 6);
    h.writeInt32BE(data ? data.length : -1, 14);
    parts.push(h);
    if (data) parts.push(data);
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1, 0);
  parts.push(end);
  return Buffer.concat(parts);
}

function readAll(pieces: Buffer[]): { rows: Array<[number, string]>; done: boolean } {
  const reader = new CopyRows();
  const rows: Array<[number, string]> = [];
  // The reader may keep views of a piece: each piece is a fresh copy, as the stream hands out.
  for (const p of pieces)
    reader.push(Buffer.from(p), (id, data) => rows.push([id, data.toString('hex')]));
  return { rows, done: reader.done };
}

describe('binary COPY rows', () => {
  const rows: Array<[bigint, Buffer | null]> = [
    [1n, Buffer.from([1, 2, 3])],
    [42n, Buffer.alloc(0)],
    [7n, null],
    [9_007_199_254_740_991n, Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff))],
    [3n, Buffer.from([0xff])],
  ];
  const expected = [
    [1, '010203'],
    [
      9_007_199_254_740_991,
      Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff)).toString('hex'),
    ],
    [3, 'ff'],
  ];

  it('reads every row whole however the stream is cut, empty and NULL values skipped', () => {
    for (const extension of [0, 5]) {
      const all = copyStream(rows, extension);
      expect(readAll([all])).toEqual({ rows: expected, done: true });
      for (let cut = 1; cut < all.length; cut++) {
        expect(readAll([all.subarray(0, cut), all.subarray(cut)])).toEqual({
          rows: expected,
          done: true,
        });
      }
      for (const size of [1, 2, 7, 19, 64]) {
        const pieces: Buffer[] = [];
        for (let p = 0; p < all.length; p += size) pieces.push(all.subarray(p, p + size));
        expect(readAll(pieces)).toEqual({ rows: expected, done: true });
      }
    }
  });

  it('is not done before the end marker, and rejects what is not a COPY of two columns', () => {
    const all = copyStream(rows);
    expect(readAll([all.subarray(0, all.length - 2)]).done).toBe(false);
    expect(() => readAll([Buffer.from('PGCOPX\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1')])).toThrow(
      /COPY header/,
    );
    const three = copyStream([[1n, Buffer.from([1])]]);
    three.writeInt16BE(3, 19);
    expect(() => readAll([three])).toThrow(/3 fields/);
  });
});
