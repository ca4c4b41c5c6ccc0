import { malformed } from '../ingest.errors';
import type { RawBatch, RawSeries } from '../ingest.types';

// InfluxDB line protocol: `measurement[,tag=v...] field=v[,field=v...] [timestamp]`.
// Each numeric field becomes a series named `<measurement>_<field>` (just `<measurement>` when
// the field is called `value`), tags become labels: the convention of Prometheus'
// influxdb_exporter and Telegraf's Prometheus output. Names are sanitised the same way (invalid
// characters become `_`). Booleans become 1/0, `i`/`u` integers become floats, string fields are
// skipped and counted in a warning.

export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's';

const PRECISIONS: Record<string, InfluxPrecision> = {
  ns: 'ns',
  n: 'ns',
  us: 'us',
  u: 'us',
  ms: 'ms',
  s: 's',
};

/** Maps a `precision` query value (default ns); throws a 400 for anything else. */
export function parseInfluxPrecision(value: string | undefined): InfluxPrecision {
  if (value === undefined || value === '') return 'ns';
  const p = PRECISIONS[value];
  if (!p) throw malformed(`influx: unknown precision "${value}" (use ns, us, ms or s)`);
  return p;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;
const UINT_RE = /^\d+$/;
const TS_RE = /^-?\d+$/;

const SPACE = 0x20;
const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const EQ = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;

/** Replaces characters Prometheus does not allow in names, as influxdb_exporter does. */
export function sanitizeMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

export function sanitizeLabelName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** Integer ms from a timestamp string at a precision; sub-millisecond digits are floored. */
export function influxTimestampToMs(digits: string, precision: InfluxPrecision): number {
  switch (precision) {
    case 'ms':
      return Number(digits);
    case 's':
      return Number(digits) * 1000;
    case 'us':
    case 'ns': {
      const shift = precision === 'us' ? 3 : 6;
      // Slicing digits keeps ns timestamps (≈1.7e18, past 2^53) exact down to the millisecond.
      if (digits[0] !== '-') return digits.length > shift ? Number(digits.slice(0, -shift)) : 0;
      const divisor = precision === 'us' ? 1000n : 1000000n;
      const v = BigInt(digits);
      const q = v / divisor;
      return Number(v % divisor === 0n ? q : q - 1n);
    }
  }
}

interface Group {
  labelNames: string[];
  labelValues: string[];
  timestamps: number[];
  values: number[];
}

class LineScanner {
  pos = 0;
  line = 1;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw malformed(`influx line ${this.line}: ${what}`);
  }

  /**
   * Reads an escaped token up to an unescaped stop character. `escapable` lists the characters a
   * backslash escapes here; before anything else a backslash is literal.
   */
  token(stopAtEq: boolean, escapeEq: boolean): string {
    const text = this.text;
    let out = '';
    let start = this.pos;
    let i = this.pos;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < text.length) {
        const n = text.charCodeAt(i + 1);
        if (n === COMMA || n === SPACE || (escapeEq && n === EQ) || n === BACKSLASH) {
          out += text.slice(start, i) + text[i + 1];
          i++;
          start = i + 1;
          continue;
        }
      }
      if (c === COMMA || c === SPACE || c === NL || c === CR || c === TAB || (stopAtEq && c === EQ))
        break;
    }
    this.pos = i;
    return out + text.slice(start, i);
  }

  /** A double-quoted string field; the opening quote is at `pos`. */
  quoted(): string {
    const text = this.text;
    let out = '';
    let start = ++this.pos;
    const startLine = this.line;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < text.length) {
        const n = text.charCodeAt(i + 1);
        if (n === QUOTE || n === BACKSLASH) {
          out += text.slice(start, i) + text[i + 1];
          i++;
          start = i + 1;
        }
        continue;
      }
      if (c === NL) this.line++;
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(start, i);
      }
    }
    this.line = startLine;
    return this.fail('unterminated string field value');
  }

  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  skipBlanks(): void {
    while (this.peek() === SPACE || this.peek() === TAB) this.pos++;
  }

  atLineEnd(): boolean {
    const c = this.peek();
    return c === -1 || c === NL || c === CR;
  }
}

/**
 * Parses a line protocol body. `nowMs` stamps lines without a timestamp. A malformed line
 * rejects the whole request with a 400 naming the line.
 */
export function decodeInfluxLines(
  body: Buffer,
  precision: InfluxPrecision,
  nowMs: number,
): RawBatch {
  const sc = new LineScanner(body.toString('utf8'));
  const text = sc.text;
  const groups = new Map<string, Group>();
  let stringFields = 0;
  let firstString = '';

  while (sc.pos < text.length) {
    sc.skipBlanks();
    const c = sc.peek();
    if (c === NL || c === CR || c === -1 || c === HASH) {
      while (sc.pos < text.length && text.charCodeAt(sc.pos) !== NL) sc.pos++;
      sc.pos++;
      sc.line++;
      continue;
    }
    const lineNo = sc.line;
    const measurement = sc.token(false, false);
    if (measurement === '') sc.fail('missing measurement');
    const tagStart = sc.pos;
    const tagNames: string[] = [];
    const tagValues: string[] = [];
    while (sc.peek() === COMMA) {
      sc.pos++;
      const key = sc.token(true, true);
      if (sc.peek() !== EQ) sc.fail(`tag "${key}" has no value`);
      sc.pos++;
      const value = sc.token(true, true);
      if (key === '') sc.fail('empty tag key');
      if (value === '') sc.fail(`tag "${key}" has an empty value`);
      tagNames.push(sanitizeLabelName(key));
      tagValues.push(value);
    }
    const seriesKey = `${measurement}\u0000${text.slice(tagStart, sc.pos)}\u0000`;
    if (sc.peek() !== SPACE && sc.peek() !== TAB) sc.fail('missing field set');
    sc.skipBlanks();
    if (sc.atLineEnd()) sc.fail('missing field set');

    const fieldNames: string[] = [];
    const fieldValues: number[] = [];
    for (;;) {
      const key = sc.token(true, true);
      if (key === '') sc.fail('empty field key');
      if (sc.peek() !== EQ) sc.fail(`field "${key}" has no value`);
      sc.pos++;
      if (sc.peek() === QUOTE) {
        sc.quoted();
        stringFields++;
        if (!firstString) firstString = `line ${lineNo} field "${key}"`;
      } else {
        const raw = sc.token(false, false);
        fieldNames.push(key);
        fieldValues.push(parseFieldValue(raw, key, sc));
      }
      if (sc.peek() === COMMA) {
        sc.pos++;
        continue;
      }
      break;
    }

    let ts = nowMs;
    sc.skipBlanks();
    if (!sc.atLineEnd()) {
      const start = sc.pos;
      while (!sc.atLineEnd() && sc.peek() !== SPACE && sc.peek() !== TAB) sc.pos++;
      const digits = text.slice(start, sc.pos);
      if (!TS_RE.test(digits)) sc.fail(`invalid timestamp "${digits}"`);
      ts = influxTimestampToMs(digits, precision);
      sc.skipBlanks();
      if (!sc.atLineEnd()) sc.fail('unexpected text after the timestamp');
    }
    if (sc.peek() === CR) sc.pos++;
    if (sc.peek() === NL) {
      sc.pos++;
      sc.line++;
    } else if (sc.pos < text.length) sc.fail('unexpected text at the end of the line');

    for (let f = 0; f < fieldNames.length; f++) {
      const key = seriesKey + fieldNames[f];
      let g = groups.get(key);
      if (!g) {
        const name = fieldNames[f] === 'value' ? measurement : `${measurement}_${fieldNames[f]}`;
        g = {
          labelNames: ['__name__', ...tagNames],
          labelValues: [sanitizeMetricName(name), ...tagValues],
          timestamps: [],
          values: [],
        };
        groups.set(key, g);
      }
      g.timestamps.push(ts);
      g.values.push(fieldValues[f]);
    }
  }

  const series: RawSeries[] = [];
  for (const g of groups.values()) {
    series.push({
      labelNames: g.labelNames,
      labelValues: g.labelValues,
      timestamps: Float64Array.from(g.timestamps),
      values: Float64Array.from(g.values),
    });
  }
  const warnings: string[] = [];
  if (stringFields > 0) {
    warnings.push(
      `${stringFields} string field value(s) skipped: only numeric and boolean fields are stored (first: ${firstString})`,
    );
  }
  return { series, warnings };
}

function parseFieldValue(raw: string, key: string, sc: LineScanner): number {
  if (raw === '') return sc.fail(`field "${key}" has an empty value`);
  const last = raw.charCodeAt(raw.length - 1);
  if (last === 0x69 /* i */) {
    const digits = raw.slice(0, -1);
    if (!INT_RE.test(digits)) sc.fail(`field "${key}": invalid integer "${raw}"`);
    return Number(digits);
  }
  if (last === 0x75 /* u */) {
    const digits = raw.slice(0, -1);
    if (!UINT_RE.test(digits)) sc.fail(`field "${key}": invalid unsigned integer "${raw}"`);
    return Number(digits);
  }
  switch (raw) {
    case 't':
    case 'T':
    case 'true':
    case 'True':
    case 'TRUE':
      return 1;
    case 'f':
    case 'F':
    case 'false':
    case 'False':
    case 'FALSE':
      return 0;
  }
  if (!FLOAT_RE.test(raw)) sc.fail(`field "${key}": invalid value "${raw}"`);
  return Number(raw);
}
