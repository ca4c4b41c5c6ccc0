/**
 * Parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text. Histograms
 * and summaries come out as their plain series (_bucket/_sum/_count, quantiles), as Prometheus
 * stores them. A malformed line fails the whole scrape, as in Prometheus: half a scrape would
 * look like series disappearing.
 */
export interface ParsedSample {
  /** Labels including __name__. */
  labels: Record<string, string>;
  value: number;
  /** Milliseconds, when the exposition carried a timestamp. */
  timestampMs?: number;
}

export class ExpositionParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

export function isOpenMetrics(contentType: string | undefined): boolean {
  return !!contentType && /application\/openmetrics-text/i.test(contentType);
}

export function parseExposition(text: string, openMetrics = false): ParsedSample[] {
  const out: ParsedSample[] = [];
  const lines = text.split('\n');
  let sawEof = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (sawEof && line.trim() !== '') throw new ExpositionParseError(i + 1, 'content after # EOF');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (/^#\s*EOF\s*$/.test(line)) sawEof = true;
      // HELP, TYPE, UNIT and plain comments carry no samples.
      continue;
    }
    out.push(parseSampleLine(line, i + 1, openMetrics));
  }
  return out;
}

function parseSampleLine(line: string, lineNo: number, openMetrics: boolean): ParsedSample {
  let pos = 0;
  const fail = (msg: string): never => {
    throw new ExpositionParseError(lineNo, `${msg} in "${line.length > 120 ? `${line.slice(0, 120)}…` : line}"`);
  };
  const skipSpaces = () => {
    while (pos < line.length && (line[pos] === ' ' || line[pos] === '\t')) pos++;
  };
  skipSpaces();
  const labels: Record<string, string> = {};
  if (!NAME_START.test(line[pos] ?? '')) fail('expected a metric name');
  const nameStart = pos;
  while (pos < line.length && NAME_CHAR.test(line[pos])) pos++;
  labels.__name__ = line.slice(nameStart, pos);
  skipSpaces();
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      skipSpaces();
      if (line[pos] === '}') {
        pos++;
        break;
      }
      if (!LABEL_START.test(line[pos] ?? '')) fail('expected a label name');
      const ls = pos;
      while (pos < line.length && LABEL_CHAR.test(line[pos])) pos++;
      const lname = line.slice(ls, pos);
      skipSpaces();
      if (line[pos] !== '=') fail(`expected = after label ${lname}`);
      pos++;
      skipSpaces();
      if (line[pos] !== '"') fail(`expected a quoted value for label ${lname}`);
      pos++;
      let value = '';
      for (;;) {
        if (pos >= line.length) fail('unterminated label value');
        const c = line[pos++];
        if (c === '"') break;
        if (c === '\\') {
          const e = line[pos++];
          if (e === 'n') value += '\n';
          else if (e === '\\') value += '\\';
          else if (e === '"') value += '"';
          else if (openMetrics) fail(`invalid escape \\${e}`);
          else value += `\\${e}`; // the 0.0.4 format keeps unknown escapes literally
        } else value += c;
      }
      if (lname in labels) fail(`duplicate label ${lname}`);
      labels[lname] = value;
      skipSpaces();
      if (line[pos] === ',') {
        pos++;
        continue;
      }
      if (line[pos] === '}') {
        pos++;
        break;
      }
      fail('expected , or } after a label');
    }
  }
  skipSpaces();
  const rest = line.slice(pos);
  // OpenMetrics exemplars follow " # "; they are not samples.
  const hash = rest.indexOf(' # ');
  const fields = (hash >= 0 ? rest.slice(0, hash) : rest).trim().split(/[ \t]+/);
  if (fields.length === 0 || fields[0] === '') fail('missing value');
  if (fields.length > 2) fail('unexpected text after the timestamp');
  const value = parseValue(fields[0]);
  if (value === null) fail(`bad value "${fields[0]}"`);
  const sample: ParsedSample = { labels, value: value! };
  if (fields.length === 2) {
    const t = Number(fields[1]);
    if (!Number.isFinite(t)) fail(`bad timestamp "${fields[1]}"`);
    // Text format timestamps are integer milliseconds; OpenMetrics uses (fractional) seconds.
    sample.timestampMs = openMetrics ? Math.round(t * 1000) : Math.trunc(t);
  }
  return sample;
}

function parseValue(s: string): number | null {
  switch (s.toLowerCase()) {
    case 'nan':
      return NaN;
    case '+inf':
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?0x[0-9a-f]+$/i.test(s)) return null;
  const n = Number(s);
  return Number.isNaN(n) ? null : n;
}
