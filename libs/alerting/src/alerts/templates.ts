/**
 * A safe subset of Prometheus' Go-template annotations: `{{ $labels.x }}`, `{{ $value }}`,
 * `{{ $externalLabels.x }}`, pipelines (`{{ $value | humanize }}`), function calls
 * (`{{ humanizePercentage $value }}`, `{{ printf "%.2f" $value }}`) and `{{-`/`-}}` trimming.
 * Nothing is evaluated as code: the template is tokenized and interpreted here, and anything
 * outside the subset renders as an error marker instead of throwing.
 */
export interface TemplateData {
  labels: Record<string, string>;
  value: number | null;
  externalLabels?: Record<string, string>;
}

type Val = string | number | null | Record<string, string>;

class TemplateError extends Error {}

const MAX_OUTPUT = 16_384;

export function renderTemplate(template: string, data: TemplateData): string {
  if (!template.includes('{{')) return template;
  try {
    return render(template, data);
  } catch (err) {
    if (err instanceof TemplateError) return `<error expanding template: ${err.message}>`;
    throw err;
  }
}

/** Checks a template when a rule is saved, so a typo is reported then and not at 3 a.m. */
export function validateTemplate(template: string): string | null {
  try {
    render(template, { labels: {}, value: 0 });
    return null;
  } catch (err) {
    if (err instanceof TemplateError) return err.message;
    throw err;
  }
}

export function renderAll(
  templates: Record<string, string>,
  data: TemplateData,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(templates)) out[k] = renderTemplate(v, data);
  return out;
}

function render(template: string, data: TemplateData): string {
  let out = '';
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    if (open < 0) {
      out += template.slice(pos);
      break;
    }
    let text = template.slice(pos, open);
    let start = open + 2;
    if (template[start] === '-' && /\s/.test(template[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    out += text;
    const close = findClose(template, start);
    if (close < 0) throw new TemplateError('unclosed action');
    let end = close;
    let trimRight = false;
    if (template[close - 1] === '-' && /\s/.test(template[close - 2] ?? '')) {
      end = close - 1;
      trimRight = true;
    }
    out += formatValue(evalPipeline(template.slice(start, end), data));
    pos = close + 2;
    if (trimRight) while (pos < template.length && /\s/.test(template[pos])) pos++;
    if (out.length > MAX_OUTPUT) throw new TemplateError('output too long');
  }
  return out;
}

function findClose(s: string, from: number): number {
  let inString: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\' && inString === '"') i++;
      else if (c === inString) inString = null;
    } else if (c === '"' || c === '`') inString = c;
    else if (c === '}' && s[i + 1] === '}') return i;
  }
  return -1;
}

type Token =
  | { kind: 'str'; v: string }
  | { kind: 'num'; v: number }
  | { kind: 'word'; v: string }
  | { kind: 'pipe' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|') {
      out.push({ kind: 'pipe' });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') {
          const n = src[i + 1];
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else v += src[i++];
      }
      if (src[i] !== '"') throw new TemplateError('unterminated string');
      i++;
      out.push({ kind: 'str', v });
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new TemplateError('unterminated raw string');
      out.push({ kind: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (
      /[-+0-9.]/.test(c) &&
      /[0-9]/.test(src.slice(i, i + 2).replace(/^[-+.]/, '')[0] ?? '')
    ) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new TemplateError(`bad number at ${src.slice(i, i + 8)}`);
      out.push({ kind: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else {
      const m = /^[$.]?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*|^\$|^\./.exec(
        src.slice(i),
      );
      if (!m) throw new TemplateError(`unexpected "${c}"`);
      out.push({ kind: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

function evalPipeline(src: string, data: TemplateData): Val {
  const tokens = tokenize(src);
  if (tokens.length === 0) throw new TemplateError('empty action');
  const commands: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'pipe') commands.push([]);
    else commands[commands.length - 1].push(t);
  }
  let acc: Val | undefined;
  for (const [i, cmd] of commands.entries()) {
    if (cmd.length === 0) throw new TemplateError('empty command in pipeline');
    acc = evalCommand(cmd, data, i === 0 ? undefined : acc);
  }
  return acc ?? null;
}

function evalCommand(cmd: Token[], data: TemplateData, piped: Val | undefined): Val {
  const [head, ...rest] = cmd;
  if (head.kind === 'word' && isFunc(head.v)) {
    const args = rest.map((t) => operand(t, data));
    if (piped !== undefined) args.push(piped);
    return FUNCS[head.v](args);
  }
  if (rest.length > 0 || piped !== undefined)
    throw new TemplateError(`"${tokenText(head)}" is not a function`);
  return operand(head, data);
}

function tokenText(t: Token): string {
  return t.kind === 'pipe' ? '|' : String(t.v);
}

function operand(t: Token, data: TemplateData): Val {
  if (t.kind === 'str' || t.kind === 'num') return t.v;
  if (t.kind === 'pipe') throw new TemplateError('unexpected |');
  const v = t.v;
  if (v === '$value' || v === '.Value') return data.value;
  if (v === '$labels' || v === '.Labels') return data.labels;
  if (v === '$externalLabels' || v === '.ExternalLabels') return data.externalLabels ?? {};
  for (const [prefix, map] of [
    ['$labels.', data.labels],
    ['.Labels.', data.labels],
    ['$externalLabels.', data.externalLabels ?? {}],
    ['.ExternalLabels.', data.externalLabels ?? {}],
  ] as const) {
    if (v.startsWith(prefix)) {
      const key = v.slice(prefix.length);
      // Go templates print "<no value>" for a missing map key; Prometheus users expect "".
      return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : '';
    }
  }
  if (isFunc(v)) return FUNCS[v]([]);
  throw new TemplateError(`unknown name "${v}"`);
}

function formatValue(v: Val): string {
  if (v === null) return '<no value>';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'object') {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${v[k]}`)
      .join(' ')}]`;
  }
  return v;
}

/** Go's %v of a float64: shortest representation, exponent form for very large/small values. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e21 || abs < 1e-4)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

function toNumber(v: Val): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
    throw new TemplateError(`cannot convert "${v}" to a number`);
  }
  throw new TemplateError('expected a number');
}

function one(name: string, args: Val[]): Val {
  if (args.length !== 1) throw new TemplateError(`${name} takes one argument`);
  return args[0];
}

export function humanize(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return formatNumber(n);
  const abs = Math.abs(n);
  if (abs >= 1) {
    const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
      v /= 1000;
      i++;
    }
    return `${sig4(v)}${prefixes[i]}`;
  }
  const prefixes = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
  let i = 0;
  let v = n;
  while (Math.abs(v) < 1 && i < prefixes.length - 1) {
    v *= 1000;
    i++;
  }
  return `${sig4(v)}${prefixes[i]}`;
}

export function humanize1024(n: number): string {
  if (Math.abs(n) <= 1 || !Number.isFinite(n)) return formatNumber(n);
  const prefixes = ['', 'ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < prefixes.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sig4(v)}${prefixes[i]}`;
}

/** Prometheus' humanizeDuration: `1d 2h 3m 4s`, or `1.5ms` below a second. */
export function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatNumber(seconds);
  if (Math.abs(seconds) < 1) {
    if (seconds === 0) return '0s';
    for (const [unit, mul] of [
      ['ms', 1e3],
      ['us', 1e6],
      ['ns', 1e9],
    ] as const) {
      const v = seconds * mul;
      if (Math.abs(v) >= 1 || unit === 'ns') return `${sig4(v)}${unit}`;
    }
  }
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  const s = `${sig4(secs)}s`;
  if (days) return `${sign}${days}d ${hours}h ${minutes}m ${s}`;
  if (hours) return `${sign}${hours}h ${minutes}m ${s}`;
  if (minutes) return `${sign}${minutes}m ${s}`;
  return `${sign}${s}`;
}

export function humanizePercentage(ratio: number): string {
  return `${sig4(ratio * 100)}%`;
}

/** Go's %.4g: four significant digits without trailing zeros. */
function sig4(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** printf for %s %d %f %.Nf %g %v %q %x %%: enough for annotations, no reflection. */
export function printf(format: string, args: Val[]): string {
  let i = 0;
  return format.replace(
    /%([-+ 0]*)(\d+)?(?:\.(\d+))?([sdfgveqx%])/g,
    (_m, flags: string, width?: string, prec?: string, verb?: string) => {
      if (verb === '%') return '%';
      if (i >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[i++];
      let s: string;
      switch (verb) {
        case 'd':
          s = String(Math.trunc(toNumber(arg)));
          break;
        case 'f':
          s = toNumber(arg).toFixed(prec === undefined ? 6 : Number(prec));
          break;
        case 'e':
          s = toNumber(arg).toExponential(prec === undefined ? 6 : Number(prec));
          break;
        case 'g':
          s =
            prec === undefined
              ? formatNumber(toNumber(arg))
              : String(Number(toNumber(arg).toPrecision(Math.max(1, Number(prec)))));
          break;
        case 'x':
          s =
            typeof arg === 'number'
              ? Math.trunc(arg).toString(16)
              : Buffer.from(String(arg)).toString('hex');
          break;
        case 'q':
          s = JSON.stringify(formatValue(arg));
          break;
        default:
          s = formatValue(arg);
          if (prec !== undefined && verb === 's') s = s.slice(0, Number(prec));
      }
      if (flags.includes('+') && typeof arg === 'number' && arg >= 0 && verb !== 's') s = `+${s}`;
      const w = width ? Number(width) : 0;
      if (s.length < w)
        s = flags.includes('-')
          ? s.padEnd(w)
          : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
      return s;
    },
  );
}

// Looked up as own properties only: `constructor` and friends are not template functions.
function isFunc(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCS, name);
}

const FUNCS: Record<string, (args: Val[]) => Val> = {
  humanize: (a) => humanize(toNumber(one('humanize', a))),
  humanize1024: (a) => humanize1024(toNumber(one('humanize1024', a))),
  humanizeDuration: (a) => humanizeDuration(toNumber(one('humanizeDuration', a))),
  humanizePercentage: (a) => humanizePercentage(toNumber(one('humanizePercentage', a))),
  humanizeTimestamp: (a) => new Date(toNumber(one('humanizeTimestamp', a)) * 1000).toISOString(),
  printf: (a) => {
    if (a.length === 0 || typeof a[0] !== 'string')
      throw new TemplateError('printf needs a format string');
    return printf(a[0], a.slice(1));
  },
  toUpper: (a) => formatValue(one('toUpper', a)).toUpperCase(),
  toLower: (a) => formatValue(one('toLower', a)).toLowerCase(),
  title: (a) => formatValue(one('title', a)).replace(/\b\w/g, (c) => c.toUpperCase()),
  index: (a) => {
    if (a.length !== 2 || typeof a[0] !== 'object' || a[0] === null)
      throw new TemplateError('index takes a map and a key');
    const key = formatValue(a[1]);
    return Object.prototype.hasOwnProperty.call(a[0], key) ? a[0][key] : '';
  },
};
