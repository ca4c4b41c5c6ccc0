import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { ChunkCodecError, encodeChunk } from '../codec/chunk-codec';
import { CopyRows, readSamples } from './sample-store';

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

/** A series' packed chunks as readChunks' SQL concatenates them. */
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

  /** A client whose head and log are empty and whose COPY hands out `stream` in small pieces. */
  function fakeClient(stream: Buffer): { client: PoolClient; consumed: () => number } {
    let consumed = 0;
    const pieces: Buffer[] = [];
    for (let p = 0; p < stream.length; p += 50) pieces.push(stream.subarray(p, p + 50));
    const client = {
      query: (q: unknown) => {
        // A COPY is a submittable (pg-copy-streams); the head and log reads are plain queries.
        if (typeof (q as { submit?: unknown }).submit !== 'function')
          return Promise.resolve({ rows: [] });
        return Readable.from(
          (function* () {
            for (const p of pieces) {
              consumed++;
              yield p;
            }
          })(),
        );
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
      /before its trailer/,
    );
  });

  it('refuses an organization id that is not a UUID before building SQL', async () => {
    const { client } = fakeClient(copyStream([]));
    await expect(readSamples(client, "x'; drop table series; --", [5], 0, 1)).rejects.toThrow(
      /invalid organization id/,
    );
  });
});
