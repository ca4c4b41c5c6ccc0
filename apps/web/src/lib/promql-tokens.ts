// A small PromQL tokenizer for highlighting and for deciding what to suggest at the caret. The
// api parses for real (lezer-promql); this only needs to be right about words and strings.

export type TokenKind = 'fn' | 'kw' | 'num' | 'str' | 'ident' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
]);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(\d+(?:\.\d+)?(?:[smhdwy]|ms)?)|([a-zA-Z_:][a-zA-Z0-9_:]*)|(\s+|.)/g;
  for (const m of text.matchAll(re)) {
    if (m[1]) tokens.push({ kind: 'str', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'num', text: m[2] });
    else if (m[3]) {
      const after = text.slice((m.index ?? 0) + m[3].length).trimStart();
      const kind: TokenKind = KEYWORDS.has(m[3]) ? 'kw' : after.startsWith('(') ? 'fn' : 'ident';
      tokens.push({ kind, text: m[3] });
    } else tokens.push({ kind: 'other', text: m[0] });
  }
  return tokens;
}

export interface CaretContext {
  /** What to suggest: metric names outside braces, label names inside them. */
  kind: 'metric' | 'label' | 'none';
  /** The partial word before the caret. */
  prefix: string;
  /** Where that word starts in the text. */
  start: number;
}

/** Decides what the word at the caret is, so autocomplete offers metric or label names. */
export function caretContext(text: string, caret: number): CaretContext {
  const before = text.slice(0, caret);
  const word = /[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(before);
  const prefix = word ? word[0] : '';
  const start = caret - prefix.length;
  // Inside a string nothing is suggested: count unescaped quotes before the caret.
  const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
  if (quotes % 2 === 1) return { kind: 'none', prefix, start };
  const open = before.lastIndexOf('{');
  const close = before.lastIndexOf('}');
  if (open > close) {
    // After `=`, `!=`, `=~` a value follows, not a name.
    const inBraces = before.slice(open + 1, start);
    const lastPart = inBraces.split(',').pop() ?? '';
    return { kind: /[=~]/.test(lastPart) ? 'none' : 'label', prefix, start };
  }
  // by (...) / without (...) take label names too.
  if (/\b(by|without|on|ignoring)\s*\([^)]*$/.test(before)) return { kind: 'label', prefix, start };
  if (!prefix) return { kind: 'none', prefix, start };
  return { kind: 'metric', prefix, start };
}
