import type { Labels } from '@tocsin/tsdb';
import { executionError } from '../errors';
import { compileAnchoredRegex } from '../parser/literals';

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

/** Expands `$1`, `${1}`, `$name`, `${name}` and `$$` like Go's regexp.Expand. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const m = /^\{([\p{L}\p{N}_]+)\}/u.exec(rest) ?? /^([\p{L}\p{N}_]+)/u.exec(rest);
    if (!m) {
      out += '$';
      continue;
    }
    rest = rest.slice(m[0].length);
    const name = m[1];
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n < match.length && match[n] !== undefined) out += match[n];
    } else if (match.groups?.[name] !== undefined) {
      out += match.groups[name];
    }
  }
  return out + rest;
}

export function labelReplacer(
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): (labels: Labels) => Labels {
  let re: RegExp;
  try {
    re = compileAnchoredRegex(regex);
  } catch (err) {
    throw executionError(
      `invalid regular expression in label_replace(): ${regex}: ${(err as Error).message}`,
    );
  }
  if (!isValidLabelName(dst))
    throw executionError(`invalid destination label name in label_replace(): ${dst}`);
  return (labels) => {
    const m = re.exec(labels[src] ?? '');
    if (!m) return labels;
    const res = expandTemplate(replacement, m);
    const out = { ...labels };
    delete out[dst];
    if (res !== '') out[dst] = res;
    return out;
  };
}

export function labelJoiner(dst: string, sep: string, srcs: string[]): (labels: Labels) => Labels {
  if (!isValidLabelName(dst))
    throw executionError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) {
    if (!isValidLabelName(s))
      throw executionError(`invalid source label name in label_join(): ${s}`);
  }
  return (labels) => {
    const value = srcs.map((s) => labels[s] ?? '').join(sep);
    const out = { ...labels };
    delete out[dst];
    if (value !== '') out[dst] = value;
    return out;
  };
}
