/** Alertmanager's label matchers: `=`, `!=`, `=~`, `!~` (regexes fully anchored, RE2-like). */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
}

export class MatcherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherError';
  }
}

const regexCache = new Map<string, RegExp>();

function anchored(value: string): RegExp {
  let re = regexCache.get(value);
  if (!re) {
    // Alertmanager (like Prometheus) anchors matcher regexes at both ends.
    re = new RegExp(`^(?:${value})$`, 's');
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(value, re);
  }
  return re;
}

/** A missing label is the empty string, as in Prometheus and Alertmanager. */
export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.type) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchored(m.value).test(v);
    case '!~':
      return !anchored(m.value).test(v);
  }
}

/** All matchers hold (an empty list matches everything). */
export function matchesAll(list: readonly Matcher[], labels: Record<string, string>): boolean {
  for (const m of list) if (!matches(m, labels)) return false;
  return true;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks one matcher object (from JSON input) and returns it typed. */
export function validMatcher(m: unknown): Matcher {
  const o = m as Partial<Matcher> | null;
  if (!o || typeof o !== 'object')
    throw new MatcherError('a matcher must be an object { name, type, value }');
  if (typeof o.name !== 'string' || !NAME.test(o.name))
    throw new MatcherError(`invalid label name ${JSON.stringify(o.name)}`);
  if (o.type !== '=' && o.type !== '!=' && o.type !== '=~' && o.type !== '!~') {
    throw new MatcherError(`invalid match type ${JSON.stringify(o.type)} (use =, !=, =~ or !~)`);
  }
  if (typeof o.value !== 'string') throw new MatcherError(`matcher ${o.name} needs a string value`);
  if (o.type === '=~' || o.type === '!~') {
    try {
      anchored(o.value);
    } catch (e) {
      throw new MatcherError(`invalid regular expression for ${o.name}: ${(e as Error).message}`);
    }
  }
  return { name: o.name, type: o.type, value: o.value };
}

/**
 * Parses Alertmanager's matcher syntax: `{a="b", c=~"d|e"}`, the braces optional, values quoted
 * (with \" \\ \n escapes) or bare up to the next comma.
 */
export function parseMatchers(input: string): Matcher[] {
  let s = input.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new MatcherError('missing closing "}"');
    s = s.slice(1, -1);
  }
  const out: Matcher[] = [];
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  while (true) {
    ws();
    if (i >= s.length) break;
    const nameStart = i;
    while (i < s.length && /[A-Za-z0-9_]/.test(s[i])) i++;
    const name = s.slice(nameStart, i);
    if (!NAME.test(name))
      throw new MatcherError(
        `expected a label name at position ${nameStart + 1} of ${JSON.stringify(input)}`,
      );
    ws();
    const two = s.slice(i, i + 2);
    let type: MatchType;
    if (two === '=~' || two === '!~' || two === '!=') {
      type = two;
      i += 2;
    } else if (s[i] === '=') {
      type = '=';
      i += 1;
    } else {
      throw new MatcherError(`expected =, !=, =~ or !~ after ${name}`);
    }
    ws();
    let value = '';
    if (s[i] === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i++];
        if (c === '\\') {
          const e = s[i++];
          if (e === 'n') value += '\n';
          else if (e === '"' || e === '\\') value += e;
          else throw new MatcherError(`invalid escape \\${e ?? ''} in the value of ${name}`);
        } else if (c === '"') {
          closed = true;
          break;
        } else value += c;
      }
      if (!closed) throw new MatcherError(`unterminated quoted value for ${name}`);
    } else {
      const start = i;
      while (i < s.length && s[i] !== ',') i++;
      value = s.slice(start, i).trim();
      if (value.includes('"')) throw new MatcherError(`unbalanced quotes in the value of ${name}`);
    }
    out.push(validMatcher({ name, type, value }));
    ws();
    if (i >= s.length) break;
    if (s[i] !== ',') throw new MatcherError(`expected "," after the matcher on ${name}`);
    i++;
  }
  return out;
}

function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function printMatcher(m: Matcher): string {
  return `${m.name}${m.type}${quote(m.value)}`;
}

/** The canonical text form, which parseMatchers reads back to the same list. */
export function printMatchers(list: readonly Matcher[]): string {
  return `{${list.map(printMatcher).join(', ')}}`;
}

/** Matchers from a JSON value: a matcher string, a list of strings, or a list of objects. */
export function toMatchers(value: unknown): Matcher[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return parseMatchers(value);
  if (!Array.isArray(value)) throw new MatcherError('matchers must be a string or a list');
  return value.flatMap((v) => (typeof v === 'string' ? parseMatchers(v) : [validMatcher(v)]));
}

/** Equality matchers for every label: how the web pre-fills a silence from an alert. */
export function matchersFromLabels(labels: Record<string, string>): Matcher[] {
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, type: '=' as const, value: labels[name] }));
}
