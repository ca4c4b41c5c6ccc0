/**
 * A small, safe subset of Go's text/template, the language Alertmanager users already write:
 *
 *   {{ .Status }}  {{ .CommonLabels.alertname }}  {{ $.ExternalURL }}  {{ "text" }}
 *   {{ if eq .Status "firing" }}…{{ else if .X }}…{{ else }}…{{ end }}
 *   {{ range .Alerts }}{{ .Labels.instance }}{{ else }}none{{ end }}   {{ with .X }}…{{ end }}
 *   {{ .Labels | join ", " }}  {{ index .Labels "a.b" }}  {{- trims -}}  {{/* comments *\/}}
 *
 * It is an interpreter over a parsed tree with a fixed set of pure functions: no user code is
 * evaluated, field access reads only own properties of plain data (no prototype, no methods),
 * and output size, loop iterations and nesting are bounded, so a template cannot hang or
 * exhaust a worker.
 */

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} (at offset ${position})`);
    this.name = 'TemplateError';
  }
}

export interface TemplateLimits {
  maxSource: number;
  maxOutput: number;
  maxIterations: number;
  maxDepth: number;
}

const defaultLimits: TemplateLimits = {
  maxSource: 20_000,
  maxOutput: 100_000,
  maxIterations: 10_000,
  maxDepth: 16,
};

type Operand =
  | { t: 'field'; root: 'dot' | 'root'; path: string[] }
  | { t: 'lit'; value: unknown }
  | { t: 'call'; name: string };
type Command = { operands: Operand[] };
type Pipeline = { commands: Command[]; pos: number };
type Node =
  | { t: 'text'; text: string }
  | { t: 'out'; pipe: Pipeline }
  | { t: 'if'; pipe: Pipeline; then: Node[]; else: Node[] }
  | { t: 'range'; pipe: Pipeline; body: Node[]; else: Node[] }
  | { t: 'with'; pipe: Pipeline; body: Node[]; else: Node[] };

type Fn = (...args: unknown[]) => unknown;

const functions: Record<string, Fn> = {
  eq: (a, ...rest) => rest.some((b) => scalar(a) === scalar(b)),
  ne: (a, b) => scalar(a) !== scalar(b),
  not: (a) => !truthy(a),
  and: (...args) => args.every(truthy),
  or: (...args) => args.find(truthy) ?? args[args.length - 1],
  len: (a) =>
    Array.isArray(a)
      ? a.length
      : typeof a === 'string'
        ? a.length
        : isRecord(a)
          ? Object.keys(a).length
          : 0,
  upper: (s) => print(s).toUpperCase(),
  lower: (s) => print(s).toLowerCase(),
  toUpper: (s) => print(s).toUpperCase(),
  toLower: (s) => print(s).toLowerCase(),
  title: (s) => print(s).replace(/\b\p{L}/gu, (c) => c.toUpperCase()),
  trim: (s) => print(s).trim(),
  join: (sep, list) =>
    Array.isArray(list)
      ? list.map(print).join(print(sep))
      : isRecord(list)
        ? Object.values(list).map(print).join(print(sep))
        : print(list),
  index: (obj, key) => field(obj, print(key)),
  default: (fallback, value) => (truthy(value) ? value : fallback),
  truncate: (n, s) => {
    const str = print(s);
    const max = Number(n);
    return Number.isFinite(max) && str.length > max
      ? `${str.slice(0, Math.max(0, max - 1))}…`
      : str;
  },
  sortedPairs: (obj) =>
    isRecord(obj)
      ? Object.keys(obj)
          .sort()
          .map((k) => ({ Name: k, Value: obj[k] }))
      : [],
};

export function templateFunctions(): string[] {
  return Object.keys(functions).sort();
}

/** Parses once; render many times. Throws TemplateError with the offset of the mistake. */
export function compileTemplate(
  source: string,
  limits: Partial<TemplateLimits> = {},
): CompiledTemplate {
  const lim = { ...defaultLimits, ...limits };
  if (source.length > lim.maxSource)
    throw new TemplateError(`Template is longer than ${lim.maxSource} characters`);
  return new CompiledTemplate(new Parser(source, lim.maxDepth).parse(), lim);
}

export function renderTemplate(
  source: string,
  data: unknown,
  limits: Partial<TemplateLimits> = {},
): string {
  return compileTemplate(source, limits).render(data);
}

export class CompiledTemplate {
  constructor(
    private readonly nodes: Node[],
    private readonly limits: TemplateLimits,
  ) {}

  render(data: unknown): string {
    const state = { out: [] as string[], size: 0, iterations: 0, root: data };
    this.exec(this.nodes, data, state);
    return state.out.join('');
  }

  private exec(
    nodes: Node[],
    dot: unknown,
    s: { out: string[]; size: number; iterations: number; root: unknown },
  ): void {
    for (const node of nodes) {
      switch (node.t) {
        case 'text':
          this.emit(node.text, s);
          break;
        case 'out':
          this.emit(print(evalPipe(node.pipe, dot, s.root)), s);
          break;
        case 'if':
          this.exec(truthy(evalPipe(node.pipe, dot, s.root)) ? node.then : node.else, dot, s);
          break;
        case 'with': {
          const v = evalPipe(node.pipe, dot, s.root);
          if (truthy(v)) this.exec(node.body, v, s);
          else this.exec(node.else, dot, s);
          break;
        }
        case 'range': {
          const v = evalPipe(node.pipe, dot, s.root);
          const items = Array.isArray(v)
            ? v
            : isRecord(v)
              ? Object.keys(v)
                  .sort()
                  .map((k) => v[k])
              : [];
          if (!items.length) {
            this.exec(node.else, dot, s);
            break;
          }
          for (const item of items) {
            if (++s.iterations > this.limits.maxIterations) {
              throw new TemplateError(
                `Template loops more than ${this.limits.maxIterations} times`,
              );
            }
            this.exec(node.body, item, s);
          }
          break;
        }
      }
    }
  }

  private emit(text: string, s: { out: string[]; size: number }): void {
    s.size += text.length;
    if (s.size > this.limits.maxOutput)
      throw new TemplateError(`Template output exceeds ${this.limits.maxOutput} characters`);
    s.out.push(text);
  }
}

function evalPipe(pipe: Pipeline, dot: unknown, root: unknown): unknown {
  let value: unknown;
  let first = true;
  for (const cmd of pipe.commands) {
    const [head, ...rest] = cmd.operands;
    const args = rest.map((o) => evalOperand(o, dot, root));
    if (!first) args.push(value);
    if (head.t === 'call') {
      const fn = functions[head.name];
      if (!fn) throw new TemplateError(`Unknown function "${head.name}"`, pipe.pos);
      value = fn(...args);
    } else {
      if (args.length) throw new TemplateError('Only functions take arguments', pipe.pos);
      value = evalOperand(head, dot, root);
    }
    first = false;
  }
  return value;
}

function evalOperand(o: Operand, dot: unknown, root: unknown): unknown {
  if (o.t === 'lit') return o.value;
  if (o.t === 'call') {
    const fn = functions[o.name];
    if (!fn) throw new TemplateError(`Unknown function "${o.name}"`);
    return fn();
  }
  let v = o.root === 'dot' ? dot : root;
  for (const name of o.path) v = field(v, name);
  return v;
}

/** Own properties of plain data only: nothing reachable through a prototype. */
function field(obj: unknown, name: string): unknown {
  if (Array.isArray(obj)) return /^\d+$/.test(name) ? obj[Number(name)] : undefined;
  if (isRecord(obj) && Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalar(v: unknown): unknown {
  return v === undefined ? null : v;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return !!v;
}

function print(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(print).join(' ');
  if (isRecord(v))
    return Object.keys(v)
      .sort()
      .map((k) => `${k}=${print(v[k])}`)
      .join(', ');
  return '';
}

// ---------------------------------------------------------------------------------------------

type Token =
  { kind: 'text'; text: string; pos: number } | { kind: 'action'; body: string; pos: number };

class Parser {
  private tokens: Token[];
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
  ) {
    this.tokens = tokenize(src);
  }

  parse(): Node[] {
    const { nodes, stop } = this.block(0);
    if (stop) throw new TemplateError(`Unexpected {{ ${stop.word} }}`, stop.pos);
    return nodes;
  }

  /** Reads nodes until `end`/`else` (returned as `stop`) or the end of input. */
  private block(depth: number): {
    nodes: Node[];
    stop?: { word: 'end' | 'else'; rest: string; pos: number };
  } {
    if (depth > this.maxDepth)
      throw new TemplateError(`Template nests deeper than ${this.maxDepth}`);
    const nodes: Node[] = [];
    while (this.i < this.tokens.length) {
      const tok = this.tokens[this.i++];
      if (tok.kind === 'text') {
        if (tok.text) nodes.push({ t: 'text', text: tok.text });
        continue;
      }
      const body = tok.body.trim();
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError('Unclosed comment', tok.pos);
        continue;
      }
      const [word] = body.split(/\s+/, 1);
      const rest = body.slice(word.length).trim();
      if (word === 'end' || word === 'else') return { nodes, stop: { word, rest, pos: tok.pos } };
      if (word === 'if' || word === 'range' || word === 'with') {
        if (!rest) throw new TemplateError(`{{ ${word} }} needs a value`, tok.pos);
        nodes.push(this.control(word, parsePipeline(rest, tok.pos), tok.pos, depth));
        continue;
      }
      if (
        word === 'define' ||
        word === 'template' ||
        word === 'block' ||
        word === 'break' ||
        word === 'continue'
      ) {
        throw new TemplateError(`{{ ${word} }} is not supported`, tok.pos);
      }
      nodes.push({ t: 'out', pipe: parsePipeline(body, tok.pos) });
    }
    return { nodes };
  }

  private control(word: 'if' | 'range' | 'with', pipe: Pipeline, pos: number, depth: number): Node {
    const first = this.block(depth + 1);
    if (!first.stop) throw new TemplateError(`{{ ${word} }} has no {{ end }}`, pos);
    let elseNodes: Node[] = [];
    if (first.stop.word === 'else') {
      if (first.stop.rest.startsWith('if ') && word === 'if') {
        // `else if X` is an `if` nested in the else branch that shares this block's `end`.
        const nested = this.control(
          'if',
          parsePipeline(first.stop.rest.slice(3).trim(), first.stop.pos),
          first.stop.pos,
          depth + 1,
        );
        elseNodes = [nested];
      } else {
        if (first.stop.rest)
          throw new TemplateError(`Unexpected "${first.stop.rest}" after else`, first.stop.pos);
        const second = this.block(depth + 1);
        if (second.stop?.word !== 'end')
          throw new TemplateError(`{{ ${word} }} has no {{ end }}`, pos);
        elseNodes = second.nodes;
      }
    }
    if (word === 'if') return { t: 'if', pipe, then: first.nodes, else: elseNodes };
    return { t: word, pipe, body: first.nodes, else: elseNodes };
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = open === -1 ? src.slice(pos) : src.slice(pos, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      tokens.push({ kind: 'text', text, pos });
      break;
    }
    let start = open + 2;
    if (src[start] === '-' && /\s/.test(src[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    tokens.push({ kind: 'text', text, pos });
    const close = findClose(src, start);
    if (close === -1) throw new TemplateError('Unclosed {{', open);
    let end = close;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimNext = true;
    }
    tokens.push({ kind: 'action', body: src.slice(start, end), pos: open });
    pos = close + 2;
  }
  return tokens;
}

/** The closing braces of an action, skipping any inside string literals. */
function findClose(src: string, from: number): number {
  let inString = false;
  for (let i = from; i < src.length - 1; i++) {
    const c = src[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

function parsePipeline(body: string, pos: number): Pipeline {
  const words = lex(body, pos);
  if (!words.length) throw new TemplateError('Empty action', pos);
  const commands: Command[] = [];
  let current: Operand[] = [];
  for (const w of words) {
    if (w === '|') {
      if (!current.length) throw new TemplateError('Empty command in pipeline', pos);
      commands.push({ operands: current });
      current = [];
      continue;
    }
    current.push(operand(w, pos));
  }
  if (!current.length) throw new TemplateError('Pipeline ends with |', pos);
  commands.push({ operands: current });
  for (const c of commands.slice(1)) {
    if (c.operands[0].t !== 'call') throw new TemplateError('After | comes a function name', pos);
  }
  return { commands, pos };
}

function lex(body: string, pos: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      if (j >= body.length) throw new TemplateError('Unclosed string', pos);
      out.push(body.slice(i, j + 1));
      i = j + 1;
    } else if (c === '|') {
      out.push('|');
      i++;
    } else if (c === '(' || c === ')') {
      throw new TemplateError('Parentheses are not supported; use a pipeline', pos);
    } else {
      let j = i;
      while (j < body.length && !/[\s|"()]/.test(body[j])) j++;
      out.push(body.slice(i, j));
      i = j;
    }
  }
  return out;
}

function operand(word: string, pos: number): Operand {
  if (word.startsWith('"')) {
    try {
      return { t: 'lit', value: JSON.parse(word) as string };
    } catch {
      throw new TemplateError(`Bad string literal ${word}`, pos);
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(word)) return { t: 'lit', value: Number(word) };
  if (word === 'true' || word === 'false') return { t: 'lit', value: word === 'true' };
  if (word === 'nil') return { t: 'lit', value: null };
  if (word === '.') return { t: 'field', root: 'dot', path: [] };
  if (word === '$') return { t: 'field', root: 'root', path: [] };
  const fieldPath = /^(\$)?((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/.exec(word);
  if (fieldPath) {
    return {
      t: 'field',
      root: fieldPath[1] ? 'root' : 'dot',
      path: fieldPath[2].slice(1).split('.'),
    };
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
    if (!functions[word]) throw new TemplateError(`Unknown function "${word}"`, pos);
    return { t: 'call', name: word };
  }
  if (word.startsWith('$'))
    throw new TemplateError(`Variables other than $ are not supported: ${word}`, pos);
  throw new TemplateError(`Cannot read "${word}"`, pos);
}
