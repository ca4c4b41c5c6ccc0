import { IngestError } from '../ingest.errors';
import { decodeInfluxLines, influxTimestampToMs, parseInfluxPrecision } from './influx-line.codec';

const NOW = 1732600000000;
const decode = (text: string, precision: 'ns' | 'us' | 'ms' | 's' = 'ns') =>
  decodeInfluxLines(Buffer.from(text), precision, NOW);
const flat = (text: string, precision?: 'ns' | 'us' | 'ms' | 's') =>
  decode(text, precision).series.map((s) => ({
    labels: Object.fromEntries(s.labelNames.map((n, i) => [n, s.labelValues[i]])),
    timestamps: Array.from(s.timestamps),
    values: Array.from(s.values),
  }));

describe('Influx line protocol decode', () => {
  it('maps measurement_field to series with tags as labels', () => {
    expect(
      flat('cpu,host=a,region=eu usage_idle=91.5,usage_user=3i 1732600000000000000\n'),
    ).toEqual([
      {
        labels: { __name__: 'cpu_usage_idle', host: 'a', region: 'eu' },
        timestamps: [1732600000000],
        values: [91.5],
      },
      {
        labels: { __name__: 'cpu_usage_user', host: 'a', region: 'eu' },
        timestamps: [1732600000000],
        values: [3],
      },
    ]);
  });

  it('names a field called value after the measurement alone', () => {
    expect(flat('temperature,room=k value=21 1000', 'ms')[0].labels.__name__).toBe('temperature');
  });

  it('groups lines of one series and stamps lines without timestamp with now', () => {
    const out = flat('m,t=1 v=1 1000\nm,t=1 v=2 2000\nm,t=2 v=3\n', 'ms');
    expect(out).toEqual([
      { labels: { __name__: 'm_v', t: '1' }, timestamps: [1000, 2000], values: [1, 2] },
      { labels: { __name__: 'm_v', t: '2' }, timestamps: [NOW], values: [3] },
    ]);
  });

  it('handles integer, unsigned, bool, float forms and skips strings with a warning', () => {
    const r = decode('m a=-5i,b=7u,c=t,d=FALSE,e=1.5e3,f=-.5,s="hello, world",g=True 1');
    const byName = Object.fromEntries(r.series.map((s) => [s.labelValues[0], s.values[0]]));
    expect(byName).toEqual({ m_a: -5, m_b: 7, m_c: 1, m_d: 0, m_e: 1500, m_f: -0.5, m_g: 1 });
    expect(r.warnings[0]).toMatch(/1 string field value\(s\) skipped.*line 1 field "s"/);
  });

  it('applies escaping rules for measurement, tag keys, tag values and field keys', () => {
    const [s] = flat('my\\ meas\\,x,tag\\ key=va\\=l\\,ue\\ z,k=C:\\path fi\\=eld\\ 1=2 0', 's');
    expect(s.labels).toEqual({
      __name__: 'my_meas_x_fi_eld_1',
      tag_key: 'va=l,ue z',
      k: 'C:\\path',
    });
  });

  it('reads string fields containing escaped quotes, spaces, commas and newlines', () => {
    const r = decode('m s="a \\"q\\" , b=c\nnext",v=1 5\nm v=2 6', 'ms');
    expect(r.series).toHaveLength(1);
    expect(Array.from(r.series[0].values)).toEqual([1, 2]);
  });

  it('ignores comments, blank lines, CRLF and surrounding whitespace', () => {
    expect(flat('# a comment\r\n\r\n  m v=1 5 \r\n\n', 'ms')).toEqual([
      { labels: { __name__: 'm_v' }, timestamps: [5], values: [1] },
    ]);
  });

  it('sanitises names to Prometheus rules', () => {
    const [s] = flat('9disk.io,dev-name=sda read-bytes=1 0', 's');
    expect(s.labels).toEqual({ __name__: '_9disk_io_read_bytes', dev_name: 'sda' });
  });

  it('converts each precision to milliseconds, exactly for ns', () => {
    expect(influxTimestampToMs('1732600000123456789', 'ns')).toBe(1732600000123);
    expect(influxTimestampToMs('1732600000123456', 'us')).toBe(1732600000123);
    expect(influxTimestampToMs('1732600000123', 'ms')).toBe(1732600000123);
    expect(influxTimestampToMs('1732600000', 's')).toBe(1732600000000);
    expect(influxTimestampToMs('999', 'ns')).toBe(0);
    expect(influxTimestampToMs('-1500000', 'ns')).toBe(-2);
    expect(parseInfluxPrecision(undefined)).toBe('ns');
    expect(parseInfluxPrecision('us')).toBe('us');
    expect(() => parseInfluxPrecision('h')).toThrow(/unknown precision/);
  });

  const bad: [string, string, RegExp][] = [
    ['no fields', 'cpu,host=a', /missing field set/],
    ['no fields after space', 'cpu ', /missing field set/],
    ['tag without value', 'cpu,host v=1', /tag "host" has no value/],
    ['empty tag value', 'cpu,host= v=1', /tag "host" has an empty value/],
    ['field without value', 'cpu v', /field "v" has no value/],
    ['empty field value', 'cpu v=', /field "v" has an empty value/],
    ['bad float', 'cpu v=1.2.3', /invalid value "1.2.3"/],
    ['bad integer', 'cpu v=1.5i', /invalid integer/],
    ['negative unsigned', 'cpu v=-1u', /invalid unsigned/],
    ['unterminated string', 'cpu s="abc', /unterminated string/],
    ['bad timestamp', 'cpu v=1 12ab', /invalid timestamp "12ab"/],
    ['text after timestamp', 'cpu v=1 12 13', /after the timestamp/],
    ['empty measurement', ',t=1 v=1', /missing measurement/],
  ];
  it.each(bad)('rejects %s with a 400 naming the line', (_n, line, message) => {
    let caught: unknown;
    try {
      decode(`ok v=1 1\n\n${line}\n`);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IngestError);
    expect((caught as IngestError).status).toBe(400);
    expect((caught as IngestError).message).toMatch(/^influx line 3: /);
    expect((caught as IngestError).message).toMatch(message);
  });
});
