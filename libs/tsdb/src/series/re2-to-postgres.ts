import { TsdbInputError } from '../tsdb.errors';

/**
 * Translates a Prometheus (Go RE2) label regex into a PostgreSQL ARE with Prometheus's full
 * anchoring, `^(?:re)$`. The dialects agree on most syntax; this rewrites what differs in the
 * patterns people write (word boundaries, `\z`, `\Q…\E`, `\x{…}`, named groups, leading flags) and
 * refuses what PostgreSQL would silently read differently or RE2 would reject (backreferences,
 * lookaround, `\p` classes, mid-pattern flags), so a query never matches other series than it
 * would in Prometheus.
 */
export function re2ToPostgres(re: string): string {
  let flags = '';
  let i = 0;
  // RE2 allows flag groups anywhere; an ARE only at its very start, so only leading ones move.
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(re);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i') flags += 'i';
      else if (f !== 's') throw unsupported(re, `flag (?${f})`); // (?s) is Prometheus's default already
    }
    i = lead[0].length;
  }
  let out = '';
  while (i < re.length) {
    const c = re[i];
    if (c === '\\') {
      const [text, next] = translateEscape(re, i, false);
      out += text;
      i = next;
    } else if (c === '[') {
      const [text, next] = translateClass(re, i);
      out += text;
      i = next;
    } else if (c === '(' && re[i + 1] === '?') {
      const rest = re.slice(i + 2);
      if (rest.startsWith(':')) {
        out += '(?:';
        i += 3;
      } else if (rest.startsWith('P<') || rest.startsWith('<')) {
        const close = re.indexOf('>', i);
        if (close < 0)
          throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: unterminated group name`);
        out += '(';
        i = close + 1;
      } else {
        throw unsupported(re, `group syntax (?${rest.slice(0, 2)}`);
      }
    } else {
      out += c;
      i++;
    }
  }
  return `${flags ? `(?${flags})` : ''}^(?:${out})$`;
}

/** The literal alternatives of a pattern like `a|b|c`, or null when it uses any regex syntax. */
export function literalAlternatives(re: string): string[] | null {
  if (!/^[A-Za-z0-9_:\-/ ,|@]*$/.test(re)) return null;
  return re.split('|');
}

function translateEscape(re: string, i: number, inClass: boolean): [string, number] {
  const e = re[i + 1];
  if (e === undefined)
    throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: trailing backslash`);
  if (!inClass && e === 'b') return ['\\y', i + 2];
  if (!inClass && e === 'B') return ['\\Y', i + 2];
  if (!inClass && e === 'z') return ['\\Z', i + 2];
  if (!inClass && e === 'A') return ['\\A', i + 2];
  if (e === 'Q') {
    const end = re.indexOf('\\E', i + 2);
    const literal = re.slice(i + 2, end < 0 ? re.length : end);
    return [escapeLiteral(literal, inClass), end < 0 ? re.length : end + 2];
  }
  if (e === 'x') {
    if (re[i + 2] === '{') {
      const close = re.indexOf('}', i + 3);
      const hex = close < 0 ? '' : re.slice(i + 3, close);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex))
        throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: bad \\x{…}`);
      return [codePoint(parseInt(hex, 16)), close + 1];
    }
    const hex = re.slice(i + 2, i + 4);
    if (!/^[0-9a-fA-F]{2}$/.test(hex))
      throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: bad \\x escape`);
    return [codePoint(parseInt(hex, 16)), i + 4];
  }
  if (e === 'p' || e === 'P') throw unsupported(re, 'Unicode classes (\\p)');
  if (/[0-9]/.test(e)) throw unsupported(re, 'backreferences and octal escapes');
  // Letters RE2 knows as escapes; any other letter is an error in RE2 but may mean something
  // else in an ARE (\m, \y, \M …), so refuse it.
  if (/[a-zA-Z]/.test(e) && !'dDwWsStnrfva'.includes(e)) throw unsupported(re, `escape \\${e}`);
  return [`\\${e}`, i + 2];
}

function translateClass(re: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (re[i] === '^') {
    out += '^';
    i++;
  }
  if (re[i] === ']') {
    out += '\\]';
    i++;
  }
  while (i < re.length && re[i] !== ']') {
    if (re[i] === '[' && re[i + 1] === ':') {
      const close = re.indexOf(':]', i + 2);
      if (close < 0)
        throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: bad character class`);
      out += re.slice(i, close + 2);
      i = close + 2;
    } else if (re[i] === '\\') {
      const [text, next] = translateEscape(re, i, true);
      out += text;
      i = next;
    } else if (re[i] === '[') {
      // A literal '[' in RE2; an ARE would read '[.' or '[=' as collating syntax.
      out += '\\[';
      i++;
    } else {
      out += re[i];
      i++;
    }
  }
  if (i >= re.length) throw new TsdbInputError(`invalid regex ${JSON.stringify(re)}: missing ]`);
  return [`${out}]`, i + 1];
}

function escapeLiteral(s: string, inClass: boolean): string {
  return s.replace(inClass ? /[\\\]^\-[]/g : /[\\^$.|?*+()[\]{}]/g, (m) => `\\${m}`);
}

function codePoint(cp: number): string {
  if (cp > 0x10ffff) throw new TsdbInputError(`code point ${cp.toString(16)} out of range`);
  return cp <= 0xffff
    ? `\\u${cp.toString(16).padStart(4, '0')}`
    : `\\U${cp.toString(16).padStart(8, '0')}`;
}

function unsupported(re: string, what: string): TsdbInputError {
  return new TsdbInputError(`regex ${JSON.stringify(re)} uses ${what}, which is not supported`);
}
