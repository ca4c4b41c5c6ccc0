// Literal syntax shared by the parser and the HTTP helpers: Go-style string unquoting, Go's
// number parsing (ParseInt base 0, then ParseFloat) and Prometheus durations.

const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Parses a Prometheus duration such as `1h30m` or `500ms` to milliseconds; null when invalid. */
export function parsePromDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i];
  }
  return ms;
}

/** Parses a number the way Prometheus' lexer/parser does; null when invalid. */
export function parseGoNumber(text: string): number | null {
  const s = text.replace(/_/g, '');
  const lower = s.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === '+inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(body)) return sign * parseInt(body.slice(2), 16);
  // strconv.ParseInt with base 0 reads a leading zero as octal.
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body.slice(1), 8);
  if (/^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/.test(body)) return sign * Number(body);
  const dur = parsePromDuration(body);
  if (dur !== null) return (sign * dur) / 1000;
  return null;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Unquotes a PromQL string literal ("…", '…' or `…`) with Go's escape rules. */
export function unquoteString(raw: string): string {
  const quote = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== quote)
    throw new Error('unterminated quoted string');
  const body = raw.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      if (c === quote) throw new Error('unterminated quoted string');
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error('unterminated quoted string');
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error('invalid syntax');
      out +=
        e === 'x'
          ? String.fromCharCode(parseInt(hex, 16))
          : String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw new Error(`unknown escape sequence`);
  }
  return out;
}

/**
 * Compiles a Prometheus (RE2) regex fully anchored, as Prometheus does. The common RE2 subset is
 * also valid JavaScript; the `u` flag is tried first so that `.` matches a whole code point.
 */
export function compileAnchoredRegex(pattern: string): RegExp {
  // RE2's leading flag group — `(?i)error`, the usual way to match case-insensitively — has no
  // inline form in this JavaScript; it becomes the RegExp's flags (as tsdb's re2ToPostgres moves
  // it to the front of the PostgreSQL regex). Flags elsewhere, or others, stay errors.
  const lead = /^\(\?([is]+)\)/.exec(pattern);
  const flags = lead ? [...new Set(lead[1])].join('') : '';
  const body = lead ? pattern.slice(lead[0].length) : pattern;
  // RE2 spells named groups (?P<name>…); JavaScript only knows (?<name>…).
  const source = `^(?:${body.replace(/\(\?P</g, '(?<')})$`;
  try {
    return new RegExp(source, `u${flags}`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (err) {
      // JavaScript's message quotes the wrapped source; users wrote only `pattern`.
      const reason = (err as Error).message.replace(
        /^Invalid regular expression: \/.*\/[a-z]*: /s,
        '',
      );
      throw new Error(`${reason.charAt(0).toLowerCase()}${reason.slice(1)} in "${pattern}"`);
    }
  }
}
