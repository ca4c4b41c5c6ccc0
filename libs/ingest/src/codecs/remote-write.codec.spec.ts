import * as protobuf from 'protobufjs';
import { isStaleNaNAt, setStaleNaNAt, staleNaN } from '@tocsin/tsdb';
import { IngestError } from '../ingest.errors';
import {
  decodeWriteRequest,
  decodeWriteRequestProto,
  encodeWriteRequest,
  encodeWriteRequestProto,
} from './remote-write.codec';
import { snappyCompress } from './snappy-block';

// protobufjs is an independent implementation of the wire format: messages it encodes (with
// fields our encoder never writes) check the hand-written decoder, and it decodes our encoder's
// output.
const root = protobuf.parse(`
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message Histogram { uint64 count_int = 1; double sum = 3; int64 timestamp = 15; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
message Label { string name = 1; string value = 2; }
`).root;
const WriteRequest = root.lookupType('prometheus.WriteRequest');

function pbEncode(payload: object): Uint8Array {
  return WriteRequest.encode(WriteRequest.fromObject(payload)).finish();
}

function labelsOf(s: { labelNames: string[]; labelValues: string[] }): Record<string, string> {
  return Object.fromEntries(s.labelNames.map((n, i) => [n, s.labelValues[i]]));
}

describe('remote_write decode', () => {
  it('decodes what protobufjs encodes, skipping exemplars and histograms', () => {
    const bytes = pbEncode({
      metadata: [{ type: 1, metricFamilyName: 'up', help: 'is it up' }],
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'http_requests_total' },
            { name: 'job', value: 'api' },
            { name: 'path', value: '/ünïcode/€' },
          ],
          samples: [
            { value: 1.5, timestamp: 1732600000000 },
            { value: -2, timestamp: 1732600015000 },
          ],
          exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 1, timestamp: 1 }],
        },
        {
          labels: [{ name: '__name__', value: 'h' }],
          histograms: [{ countInt: 3, sum: 2, timestamp: 5 }],
        },
        { labels: [{ name: '__name__', value: 'old' }], samples: [{ value: 7, timestamp: -1500 }] },
      ],
    });
    const batch = decodeWriteRequestProto(bytes);
    expect(batch.series).toHaveLength(3);
    expect(labelsOf(batch.series[0])).toEqual({
      __name__: 'http_requests_total',
      job: 'api',
      path: '/ünïcode/€',
    });
    expect(Array.from(batch.series[0].timestamps)).toEqual([1732600000000, 1732600015000]);
    expect(Array.from(batch.series[0].values)).toEqual([1.5, -2]);
    expect(batch.series[1].timestamps).toHaveLength(0);
    expect(Array.from(batch.series[2].timestamps)).toEqual([-1500]);
    expect(batch.metadata).toEqual([{ metric: 'up', type: 'counter', help: 'is it up', unit: '' }]);
    expect(batch.warnings[0]).toMatch(/1 native histogram/);
  });

  it('reads fields in any order and fills proto3 defaults', () => {
    // Sample with the timestamp before the value, and a sample with neither field.
    const sample = Buffer.from([0x10, 0x05, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    const label = Buffer.from([0x0a, 0x08, ...Buffer.from('__name__'), 0x12, 0x01, 0x78]);
    const series = Buffer.concat([
      Buffer.from([0x12, sample.length]),
      sample,
      Buffer.from([0x12, 0x00]),
      Buffer.from([0x0a, label.length]),
      label,
    ]);
    const req = Buffer.concat([Buffer.from([0x0a, series.length]), series]);
    const [s] = decodeWriteRequestProto(req).series;
    expect(labelsOf(s)).toEqual({ __name__: 'x' });
    expect(Array.from(s.timestamps)).toEqual([5, 0]);
    expect(Array.from(s.values)).toEqual([1, 0]);
  });

  it('round-trips through encodeWriteRequest, keeping staleness NaN distinct from NaN', () => {
    const values = new Float64Array([NaN, 0, 42.25, Infinity, -Infinity, -0]);
    setStaleNaNAt(values, 1);
    const body = encodeWriteRequest([
      { labels: { job: 'a', __name__: 'm' }, timestamps: [1, 2, 3, 4, 5, 6], values },
      { labels: { __name__: 'n' }, timestamps: [-5, 2 ** 40], values: [3, 4] },
    ]);
    const { series } = decodeWriteRequest(body);
    expect(series[0].labelNames).toEqual(['__name__', 'job']);
    const v = series[0].values;
    expect(Number.isNaN(v[0]) && !isStaleNaNAt(v, 0)).toBe(true);
    expect(Number.isNaN(v[1]) && isStaleNaNAt(v, 1)).toBe(true);
    expect(Array.from(v.subarray(2))).toEqual([42.25, Infinity, -Infinity, -0]);
    expect(Object.is(v[5], -0)).toBe(true);
    expect(Array.from(series[1].timestamps)).toEqual([-5, 2 ** 40]);
  });

  it('reads every metadata type, in messages of their own (as Prometheus sends them) or not', () => {
    const types = [
      'unknown',
      'counter',
      'gauge',
      'histogram',
      'gaugehistogram',
      'summary',
      'info',
      'stateset',
    ];
    const metadata = types.map((type, i) => ({
      metric: `m${i}`,
      type,
      help: `h ${i} ✓`,
      unit: i ? 'seconds' : '',
    }));
    expect(decodeWriteRequest(encodeWriteRequest([], metadata)).metadata).toEqual(metadata);
    const decoded = WriteRequest.toObject(
      WriteRequest.decode(encodeWriteRequestProto([], metadata)),
    ) as {
      metadata: Array<{ type?: number; metricFamilyName: string; help: string; unit?: string }>;
    };
    expect(
      decoded.metadata.map((m) => [m.type ?? 0, m.metricFamilyName, m.help, m.unit ?? '']),
    ).toEqual(metadata.map((m, i) => [i, m.metric, m.help, m.unit]));
    // A type this decoder does not know reads as unknown; a metadata field of the wrong wire type is malformed.
    expect(
      decodeWriteRequestProto(pbEncode({ metadata: [{ type: 99, metricFamilyName: 'x' }] }))
        .metadata,
    ).toEqual([{ metric: 'x', type: 'unknown', help: '', unit: '' }]);
    expect(() => decodeWriteRequestProto(Buffer.from([0x18, 0x01]))).toThrow(
      /metadata field has wire type 0/,
    );
  });

  it('produces what protobufjs decodes identically', () => {
    const proto = encodeWriteRequestProto([
      { labels: { __name__: 'm', a: 'b' }, timestamps: [1732600000000, -3], values: [0.5, 7] },
    ]);
    const decoded = WriteRequest.toObject(WriteRequest.decode(proto), { longs: Number }) as {
      timeseries: {
        labels: { name: string; value: string }[];
        samples: { value: number; timestamp: number }[];
      }[];
    };
    expect(decoded.timeseries[0].labels).toEqual([
      { name: '__name__', value: 'm' },
      { name: 'a', value: 'b' },
    ]);
    expect(decoded.timeseries[0].samples).toEqual([
      { value: 0.5, timestamp: 1732600000000 },
      { value: 7, timestamp: -3 },
    ]);
  });

  it('encodes a plain staleNaN() number as some NaN (only typed arrays keep the payload)', () => {
    const body = encodeWriteRequest([
      { labels: { __name__: 'm' }, timestamps: [1], values: [staleNaN()] },
    ]);
    expect(Number.isNaN(decodeWriteRequest(body).series[0].values[0])).toBe(true);
  });

  it('flags a label that is not valid UTF-8 on its series only', () => {
    const good = pbEncode({
      timeseries: [
        { labels: [{ name: '__name__', value: 'ok' }], samples: [{ value: 1, timestamp: 1 }] },
      ],
    });
    const bad = Buffer.from(
      pbEncode({
        timeseries: [
          {
            labels: [{ name: '__name__', value: 'b\u00e9' }],
            samples: [{ value: 1, timestamp: 1 }],
          },
        ],
      }),
    );
    const i = bad.indexOf(0xc3);
    bad[i] = 0xff;
    const { series } = decodeWriteRequestProto(Buffer.concat([good, bad]));
    expect(series[0].error).toBeUndefined();
    expect(series[1].error?.id).toBe('invalid-label-value');
  });

  it('reuses decoded labels for repeated label bytes without sharing mutable state', () => {
    const body = encodeWriteRequest([
      { labels: { __name__: 'cached_metric', job: 'a' }, timestamps: [1], values: [1] },
      { labels: { __name__: 'cached_metric', job: 'b' }, timestamps: [1], values: [2] },
    ]);
    const first = decodeWriteRequest(body).series;
    const second = decodeWriteRequest(body).series;
    expect(second[0].memo).toBeDefined();
    expect(second[0].memo).toBe(first[0].memo);
    expect(second[1].memo).not.toBe(second[0].memo);
    expect(labelsOf(second[1])).toEqual({ __name__: 'cached_metric', job: 'b' });
    expect(second[0].labelHash).toBe(first[0].labelHash);
    expect(second[0].labelHash).not.toBe(second[1].labelHash);

    // The same leading labels, then a label after the samples: decoded in full, cache untouched.
    const trailing = pbEncode({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'cached_metric' },
            { name: 'job', value: 'a' },
          ],
          samples: [{ value: 1, timestamp: 1 }],
        },
      ],
    });
    const extraLabel = Buffer.from([0x0a, 0x05, 0x0a, 0x01, 0x78, 0x12, 0x00]); // {x: ""}
    const series = Buffer.concat([Buffer.from(trailing.subarray(2)), extraLabel]);
    const req = Buffer.concat([Buffer.from([0x0a, series.length]), series]);
    const [withExtra] = decodeWriteRequestProto(req).series;
    expect(withExtra.labelNames).toEqual(['__name__', 'job', 'x']);
    expect(withExtra.memo).toBeUndefined();
    expect(decodeWriteRequest(body).series[0].labelNames).toEqual(['__name__', 'job']);
  });

  it('predicts a series from the one before it, and decodes right when the order changes', () => {
    const make = (jobs: string[], base: number) =>
      jobs.map((job, i) => ({
        labels: { __name__: 'order_metric', job },
        timestamps: [base + i],
        values: [i],
      }));
    // Same-length values, so a wrong prediction differs from the right run in its bytes only.
    const jobs = Array.from({ length: 40 }, (_, i) => `job-${String(i).padStart(3, '0')}`);
    const first = decodeWriteRequest(encodeWriteRequest(make(jobs, 1000))).series;
    const again = decodeWriteRequest(encodeWriteRequest(make(jobs, 2000))).series;
    again.forEach((s, i) => expect(s.memo).toBe(first[i].memo));
    const orders = [
      [...jobs].reverse(),
      jobs.map((_, i) => jobs[(i * 7) % jobs.length]),
      [jobs[0], 'job-999', ...jobs.slice(1)],
      jobs,
    ];
    for (const order of orders) {
      const decoded = decodeWriteRequest(encodeWriteRequest(make(order, 3000))).series;
      expect(decoded.map((s) => labelsOf(s).job)).toEqual(order);
      decoded.forEach((s, i) => {
        expect(s.timestamps[0]).toBe(3000 + i);
        const known = jobs.indexOf(order[i]);
        if (known >= 0) expect(s.memo).toBe(first[known].memo);
      });
    }
  });

  describe('malformed input', () => {
    const valid = Buffer.from(
      pbEncode({
        timeseries: [
          { labels: [{ name: '__name__', value: 'a' }], samples: [{ value: 1, timestamp: 10 }] },
          { labels: [{ name: '__name__', value: 'b' }], samples: [{ value: 2, timestamp: 20 }] },
        ],
      }),
    );
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'truncated in the second series',
        valid.subarray(0, valid.length - 3),
        /timeseries|WriteRequest/,
      ],
      ['length past the end', Buffer.from([0x0a, 0x7f, 0x01]), /length 127 runs past/],
      ['truncated varint', Buffer.from([0x0a, 0xff]), /truncated varint/],
      ['group wire type', Buffer.from([0x0b]), /wire type/],
      ['field number zero', Buffer.from([0x00, 0x01]), /field number 0/],
      ['timeseries as varint', Buffer.from([0x08, 0x01]), /timeseries field has wire type 0/],
      [
        'sample value cut short',
        Buffer.from([0x0a, 0x05, 0x12, 0x03, 0x09, 0x00, 0x00]),
        /truncated sample value|runs past/,
      ],
      ['overlong varint', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint/],
    ];
    it.each(cases)('rejects %s with a 400 naming where', (_name, bytes, message) => {
      let caught: unknown;
      try {
        decodeWriteRequestProto(bytes);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(IngestError);
      expect((caught as IngestError).status).toBe(400);
      expect((caught as IngestError).message).toMatch(message);
    });

    it('names the series index of the first bad series', () => {
      expect(() => decodeWriteRequestProto(valid.subarray(0, valid.length - 3))).toThrow(
        /timeseries\[1\]/,
      );
    });

    it('rejects bodies that are not snappy blocks', () => {
      expect(() => decodeWriteRequest(Buffer.alloc(0))).toThrow(/empty body/);
      expect(() => decodeWriteRequest(valid)).toThrow(IngestError);
      // The framed (stream) format starts with a stream identifier chunk.
      expect(() =>
        decodeWriteRequest(
          Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]),
        ),
      ).toThrow(IngestError);
    });

    it('refuses a block announcing more than the decompression limit with 413', () => {
      const body = snappyCompress(Buffer.alloc(1024 * 1024));
      let caught: unknown;
      try {
        decodeWriteRequest(body, 1000);
      } catch (err) {
        caught = err;
      }
      expect((caught as IngestError).status).toBe(413);
    });

    it('survives random garbage without anything but IngestError', () => {
      let seed = 42;
      const rnd = (): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed;
      };
      for (let n = 0; n < 2000; n++) {
        const bytes = Buffer.from(valid);
        // Flip a few bytes of a valid message; every outcome must be a result or a 400.
        for (let k = 0; k < 3; k++) bytes[rnd() % bytes.length] = rnd() & 0xff;
        try {
          decodeWriteRequestProto(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(IngestError);
        }
      }
    });
  });
});
