import type { PoolClient } from 'pg';
import { ChunkCodecError, encodeChunk } from '../codec/chunk-codec';
import { isStaleNaNAt } from '../model';
import { allocLogRow } from '../write/sample-log';
import { CopyQuery } from './copy-query';
import { CopyRows, readSamples } from './sample-store';

/** A binary COPY of (int8, bytea) rows, or (int2, int8, bytea) ones, as PostgreSQL writes it. */
function copyStream(
  rows: Array<[bigint, Buffer | null] | [number, bigint, Buffer | null]>,
  extension = 0,
): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const head = Buffer.alloc(8 + extension);
  head.writeUInt32BE(0, 0);
  head.writeUInt32BE(extension, 4);
  parts.push(head);
  for (const row of rows) {
    const [kind, id, data] = row.length === 3 ? row : [undefined, ...row];
    const k = kind === undefined ? 0 : 6;
    const h = Buffer.alloc(18 + k);
    h.writeInt16BE(k ? 3 : 2, 0);
    if (k) {
      h.writeInt32BE(2, 2);
      h.writeInt16BE(kind!, 6);
    }
    h.writeInt32BE(8, 2 + k);
    h.writeBigInt64BE(id, 6 + k);
    h.writeInt32BE(data ? data.length : -1, 14 + k);
    parts.push(h);
    if (data) parts.push(data);
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1, 0);
  parts.push(end);
  return Buffer.concat(parts);
}

function readAll(
  pieces: Buffer[],
  withKind = false,
): { rows: Array<[number, string] | [number, number, string]>; done: boolean } {
  const reader = new CopyRows();
  const rows: Array<[number, string] | [number, number, string]> = [];
  for (const p of pieces) {
    // A driver may reuse a piece's memory once push returns: the reader must not keep views.
    const piece = Buffer.from(p);
    reader.push(piece, (id, data, kind) =>
      rows.push(withKind ? [kind, id, data.toString('hex')] : [id, data.toString('hex')]),
    );
    piece.fill(0xee);
  }
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

  it('reads rows with a kind column first, however the stream is cut', () => {
    const all = copyStream(
      rows.map(([id, data], i): [number, bigint, Buffer | null] => [i, id, data]),
    );
    const withKinds = [
      [0, 1, '010203'],
      [3, ...expected[1]],
      [4, 3, 'ff'],
    ];
    expect(readAll([all], true)).toEqual({ rows: withKinds, done: true });
    for (let cut = 1; cut < all.length; cut++)
      expect(readAll([all.subarray(0, cut), all.subarray(cut)], true)).toEqual({
        rows: withKinds,
        done: true,
      });
  });

  it('is not done before the end marker, and rejects what is not a COPY of two or three columns', () => {
    const all = copyStream(rows);
    expect(readAll([all.subarray(0, all.length - 2)]).done).toBe(false);
    expect(() => readAll([Buffer.from('PGCOPX\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1')])).toThrow(
      /COPY header/,
    );
    const four = copyStream([[1n, Buffer.from([1])]]);
    four.writeInt16BE(4, 19);
    expect(() => readAll([four])).toThrow(/4 fields/);
  });
});

/** A series' packed chunks as chunkRows' SQL concatenates them. */
function packed(chunks: Uint8Array[], minTs: number, maxTs: number): Buffer {
  return Buffer.concat(
    chunks.flatMap((c) => {
      const h = Buffer.alloc(20);
      h.writeUInt32BE(c.length, 0);
      h.writeBigInt64BE(BigInt(minTs), 4);
      h.writeBigInt64BE(BigInt(maxTs), 12);
      return [h, Buffer.from(c)];
    }),
  );
}

describe('chunk reads over COPY', () => {
  const ts = Float64Array.from({ length: 100 }, (_, i) => 1_000_000 + i * 15_000);
  const good = encodeChunk(
    ts,
    Float64Array.from(ts, (_, i) => i * 1.5),
  );

  /** A client whose samples COPY hands out `stream` in small pieces, as node-postgres does. */
  function fakeClient(stream: Buffer): { client: PoolClient; consumed: () => number } {
    let consumed = 0;
    const pieces: Buffer[] = [];
    for (let p = 0; p < stream.length; p += 50) pieces.push(stream.subarray(p, p + 50));
    const client = {
      query: (q: CopyQuery) => {
        setImmediate(() => {
          for (const p of pieces) {
            consumed++;
            // The driver reuses its buffer: a piece is only valid during the call.
            const piece = Buffer.from(p);
            q.handleCopyData({ chunk: piece });
            piece.fill(0xee);
          }
          q.handleReadyForQuery();
        });
        return q;
      },
    } as unknown as PoolClient;
    return { client, consumed: () => consumed / pieces.length };
  }

  const org = '00000000-0000-4000-8000-000000000001';

  it('decodes each row as it arrives', async () => {
    const { client } = fakeClient(
      copyStream([
        [5n, packed([good], ts[0], ts[99])],
        [6n, packed([good, good], ts[0], ts[99])],
      ]),
    );
    const out = await readSamples(client, org, [5, 6], ts[10], ts[19]);
    expect([...out.keys()]).toEqual([5, 6]);
    expect(Array.from(out.get(5)!.timestamps)).toEqual(Array.from(ts.subarray(10, 20)));
    expect(Array.from(out.get(5)!.values)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i + 10) * 1.5),
    );
  });

  it('merges the chunk, head and log rows of one COPY, in any order', async () => {
    // Head rows: (ts int8, value float8) big-endian; the stale marker as its NaN.
    const head = Buffer.alloc(32);
    head.writeBigInt64BE(BigInt(ts[99] + 15_000), 0);
    head.writeDoubleBE(7, 8);
    head.writeBigInt64BE(BigInt(ts[99] + 30_000), 16);
    head.writeUInt32BE(0x7ff00000, 24);
    head.writeUInt32BE(2, 28);
    // Two log rows for series 5 and 6, the second logged (higher id) sent first: at the
    // timestamp both hold, the first-logged value wins; a chunk's timestamp keeps the chunk's.
    const logRow = (samples: Array<[number, number, number]>) => {
      const r = allocLogRow(samples.length);
      samples.forEach(([id, t, v], i) => {
        r.ids[i] = id;
        r.ts[i] = t;
        new Float64Array(r.words.buffer, r.words.byteOffset + i * 8, 1)[0] = v;
      });
      return r.data;
    };
    const late = ts[99] + 45_000;
    const { client } = fakeClient(
      copyStream([
        [
          2,
          11n,
          logRow([
            [5, late, 2],
            [6, late, 9],
          ]),
        ],
        [0, 5n, packed([good], ts[0], ts[99])],
        [1, 5n, head],
        [
          2,
          10n,
          logRow([
            [5, ts[99], 100],
            [5, late, 1],
          ]),
        ],
      ]),
    );
    const out = await readSamples(client, org, [5], ts[98], late);
    const s = out.get(5)!;
    expect([...out.keys()]).toEqual([5]);
    expect(Array.from(s.timestamps)).toEqual([
      ts[98],
      ts[99],
      ts[99] + 15_000,
      ts[99] + 30_000,
      late,
    ]);
    expect(Array.from(s.values.subarray(0, 3))).toEqual([98 * 1.5, 99 * 1.5, 7]);
    expect(isStaleNaNAt(s.values, 3)).toBe(true);
    expect(s.values[4]).toBe(1);
  });

  it('reads the COPY to its end after a chunk fails to decode, then throws', async () => {
    const corrupt = Uint8Array.from([2, 0xff, 0xff, 0xff, 0xff]);
    const { client, consumed } = fakeClient(
      copyStream([
        [5n, packed([corrupt], ts[0], ts[99])],
        ...Array.from({ length: 20 }, (_, i): [bigint, Buffer] => [
          BigInt(6 + i),
          packed([good], ts[0], ts[99]),
        ]),
      ]),
    );
    await expect(readSamples(client, org, [5], ts[0], ts[99])).rejects.toThrow(ChunkCodecError);
    expect(consumed()).toBe(1);
  });

  it('fails a read whose COPY stops before its trailer', async () => {
    const all = copyStream([[5n, packed([good], ts[0], ts[99])]]);
    const { client } = fakeClient(all.subarray(0, all.length - 2));
    await expect(readSamples(client, org, [5], ts[0], ts[99])).rejects.toThrow(
      /ended before its trailer/,
    );
  });

  it('refuses an organization id that is not a UUID before building SQL', async () => {
    const { client } = fakeClient(copyStream([]));
    await expect(readSamples(client, "x'; drop table series; --", [5], 0, 1)).rejects.toThrow(
      /invalid organization id/,
    );
  });
});
