import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type { LabelMatcher, MatchOp } from '@tocsin/tsdb';
import { formatGoFixed } from '../engine/format';
import { PromQLParseError } from '../errors';
import type {
  AggregateOp,
  AtModifier,
  BinaryOp,
  Expr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast';
import { isComparison, isSetOp } from './ast';
import { FUNCTIONS } from './functions';
import { compileAnchoredRegex, parseGoNumber, parsePromDuration, unquoteString } from './literals';

const LEZER_HOLT_WINTERS = 'double_exponential_smoothing';

// The node type as lezer-promql's own copy of @lezer/common declares it.
type SyntaxNode = ReturnType<typeof lezerParser.parse>['topNode'];

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const AGGREGATE_OPS: Record<string, AggregateOp> = {
  Sum: 'sum',
  Avg: 'avg',
  Min: 'min',
  Max: 'max',
  Count: 'count',
  CountValues: 'count_values',
  Group: 'group',
  Stddev: 'stddev',
  Stdvar: 'stdvar',
  Topk: 'topk',
  Bottomk: 'bottomk',
  Quantile: 'quantile',
};

const MATCH_OPS: Record<string, MatchOp> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

/** Parses a PromQL expression into the typed AST, with Prometheus' checks and error texts. */
export function parsePromQL(input: string): Expr {
  return new Builder(input).build();
}

/** The static type of an expression. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'Call':
      return FUNCTIONS.get(e.func)!.returnType;
    case 'BinaryExpr':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr':
    case 'ParenExpr':
      return typeOf(e.expr);
  }
}

const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};

export function typeName(t: ValueType): string {
  return TYPE_NAMES[t];
}

class Builder {
  /** The text lezer parses: `holt_winters(` respelled as the name its grammar knows. */
  private readonly input: string;
  /** Offsets in `input` where a respelling made the text longer, for mapping positions back. */
  private readonly shifts: number[] = [];

  constructor(private readonly original: string) {
    // lezer-promql follows Prometheus 3, where 2.42's holt_winters is double_exponential_smoothing.
    let input = '';
    let last = 0;
    for (const at of holtWintersCalls(original)) {
      input += original.slice(last, at) + LEZER_HOLT_WINTERS;
      last = at + 'holt_winters'.length;
      this.shifts.push(input.length);
    }
    this.input = input + original.slice(last);
  }

  /** An offset in `input` as an offset in what the user wrote. */
  private originalOffset(offset: number): number {
    const grow = LEZER_HOLT_WINTERS.length - 'holt_winters'.length;
    return offset - grow * this.shifts.filter((end) => end <= offset).length;
  }

  build(): Expr {
    const tree = lezerParser.parse(this.input);
    let firstError: SyntaxNode | null = null;
    tree.iterate({
      enter: (n) => {
        if (firstError) return false;
        if (n.type.isError) {
          firstError = n.node;
          return false;
        }
        return undefined;
      },
    });
    if (firstError) this.syntaxError(firstError);
    const top = tree.topNode.firstChild;
    if (!top) this.fail(0, 'no expression found in input');
    return this.expr(top);
  }

  private fail(inputOffset: number, detail: string): never {
    const offset = this.originalOffset(inputOffset);
    let line = 1;
    let lastBreak = -1;
    for (let i = 0; i < offset && i < this.original.length; i++) {
      if (this.original[i] === '\n') {
        line++;
        lastBreak = i;
      }
    }
    throw new PromQLParseError({ line, column: offset - lastBreak, offset }, detail);
  }

  private syntaxError(node: SyntaxNode): never {
    const at = node.from;
    const rest = this.input.slice(at);
    const before = this.input.slice(0, at);
    const fn = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(before);
    if (fn && rest.startsWith('(') && !FUNCTIONS.has(fn[1])) {
      this.fail(fn.index, `unknown function with name "${fn[1]}"`);
    }
    if (rest.trim() === '') this.fail(at, 'unexpected end of input');
    const token = /^\s*(\S+?)(?=[\s(){}[\],]|$)|^\s*(\S)/.exec(rest);
    const shown = token ? (token[1] ?? token[2]) : rest[0];
    const quoted = /^["'`]/.test(rest.trimStart()) && !/^(["'`]).*\1/.test(rest.trimStart());
    if (quoted) this.fail(at, 'unterminated quoted string');
    this.fail(at + (rest.length - rest.trimStart().length), `unexpected "${shown}"`);
  }

  private text(n: SyntaxNode): string {
    return this.input.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  private expr(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'ParenExpr':
        return { type: 'ParenExpr', expr: this.expr(n.firstChild!) };
      case 'NumberDurationLiteral':
        return { type: 'NumberLiteral', value: this.number(n) };
      case 'StringLiteral':
        return { type: 'StringLiteral', value: this.string(n) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector':
        return this.matrixSelector(n);
      case 'SubqueryExpr':
        return this.subquery(n);
      case 'OffsetExpr':
        return this.offset(n);
      case 'StepInvariantExpr':
        return this.at(n);
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      case 'UnaryExpr':
        return this.unary(n);
      default:
        return this.fail(n.from, `unsupported expression "${this.text(n)}"`);
    }
  }

  private number(n: SyntaxNode): number {
    const v = parseGoNumber(this.text(n).replace(/\s+/g, ''));
    if (v === null) this.fail(n.from, `bad number or duration syntax: "${this.text(n)}"`);
    return v;
  }

  private string(n: SyntaxNode): string {
    try {
      return unquoteString(this.text(n));
    } catch (err) {
      return this.fail(n.from, (err as Error).message);
    }
  }

  private duration(n: SyntaxNode): number {
    const kids = this.children(n);
    if (kids.length !== 1 || kids[0].name !== 'NumberDurationLiteralInDurationContext') {
      this.fail(n.from, `unsupported duration expression "${this.text(n)}"`);
    }
    return this.literalMs(n, this.text(kids[0]));
  }

  /**
   * A duration literal in milliseconds: Prometheus' units, or a bare number of seconds. Zero is
   * refused wherever it is written (range, subquery, offset), as Prometheus' parseDuration does.
   */
  private literalMs(n: SyntaxNode, text: string): number {
    const ms = parsePromDuration(text) ?? (/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : null);
    if (ms === null) this.fail(n.from, `bad duration syntax: "${text}"`);
    if (ms === 0) this.fail(n.from, 'duration must be greater than 0');
    return ms;
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    const matchers: LabelMatcher[] = [];
    let name: string | undefined;
    for (const c of this.children(n)) {
      if (c.name === 'Identifier') {
        name = this.text(c);
      } else if (c.name === 'LabelMatchers') {
        for (const m of this.children(c)) matchers.push(this.labelMatcher(m));
      }
    }
    if (name !== undefined) {
      const dup = matchers.find((m) => m.name === '__name__');
      if (dup) this.fail(n.from, `metric name must not be set twice: "${name}" or "${dup.value}"`);
      matchers.unshift({ name: '__name__', op: '=', value: name });
    }
    const nonEmpty = matchers.some((m) => !matchesEmpty(m));
    if (!nonEmpty) this.fail(n.from, 'vector selector must contain at least one non-empty matcher');
    return { type: 'VectorSelector', name, matchers, offsetMs: 0 };
  }

  private labelMatcher(n: SyntaxNode): LabelMatcher {
    if (n.name === 'QuotedLabelName') {
      return { name: '__name__', op: '=', value: this.string(n.firstChild ?? n) };
    }
    const [labelNode, opNode, valueNode] = this.children(n);
    const name =
      labelNode.name === 'QuotedLabelName'
        ? this.string(labelNode.firstChild!)
        : this.text(labelNode);
    const op = MATCH_OPS[opNode.firstChild!.name];
    const value = this.string(valueNode);
    if (op === '=~' || op === '!~') {
      try {
        compileAnchoredRegex(value);
      } catch (err) {
        this.fail(valueNode.from, `error parsing regexp: ${(err as Error).message}`);
      }
    }
    return { name, op, value };
  }

  /**
   * lezer-promql attaches postfix modifiers (range, subquery, offset, @) to everything before
   * them, so `a + b offset 5m` arrives as `(a + b) offset 5m`. In PromQL they bind tightest:
   * push the modifier down to the rightmost operand of binary and unary expressions.
   */
  private postfix(inner: SyntaxNode, apply: (e: Expr) => Expr): Expr {
    if (inner.name === 'BinaryExpr') return this.binary(inner, apply);
    if (inner.name === 'UnaryExpr') return this.unary(inner, apply);
    return apply(this.expr(inner));
  }

  private matrixSelector(n: SyntaxNode): Expr {
    const [inner, dur] = this.children(n);
    return this.postfix(inner, (e) => this.toMatrix(n, e, dur));
  }

  private toMatrix(n: SyntaxNode, e: Expr, dur: SyntaxNode): Expr {
    if (e.type !== 'VectorSelector') {
      this.fail(n.from, 'ranges only allowed for vector selectors');
    }
    if (e.offsetMs !== 0) this.fail(n.from, 'no offset modifiers allowed before range');
    if (e.at) this.fail(n.from, 'no @ modifiers allowed before range');
    return { type: 'MatrixSelector', vector: e, rangeMs: this.duration(dur) };
  }

  private subquery(n: SyntaxNode): Expr {
    const [inner, range, step] = this.children(n);
    return this.postfix(inner, (e) => this.toSubquery(n, e, range, step));
  }

  private toSubquery(
    n: SyntaxNode,
    e: Expr,
    range: SyntaxNode,
    step: SyntaxNode | undefined,
  ): Expr {
    const t = typeOf(e);
    if (t !== 'vector') {
      this.fail(
        n.from,
        `subquery is only allowed on instant vector, got ${typeName(t)} in "${this.text(n)}" instead`,
      );
    }
    return {
      type: 'SubqueryExpr',
      expr: e,
      rangeMs: this.duration(range),
      stepMs: step ? this.duration(step) : 0,
      offsetMs: 0,
    };
  }

  /** The node an offset or @ applies to: a selector (inside a range) or a subquery. */
  private modifiable(e: Expr): { offsetMs: number; at?: AtModifier } | null {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') return e;
    if (e.type === 'MatrixSelector') return e.vector;
    return null;
  }

  private offset(n: SyntaxNode): Expr {
    const kids = this.children(n);
    return this.postfix(kids[0], (e) => this.withOffset(n, e, kids));
  }

  private withOffset(n: SyntaxNode, e: Expr, kids: SyntaxNode[]): Expr {
    const target = this.modifiable(e);
    if (!target) {
      this.fail(
        n.from,
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.offsetMs !== 0) this.fail(kids[1].from, 'offset may not be set multiple times');
    target.offsetMs = this.offsetDuration(kids[2]);
    return e;
  }

  private offsetDuration(n: SyntaxNode): number {
    const kids = this.children(n);
    if (kids[0]?.name === 'UnaryOp') {
      const v = this.offsetDuration(kids[1]);
      return this.text(kids[0]) === '-' ? -v : v;
    }
    if (kids.length === 1 && kids[0].name === 'NumberDurationLiteralInDurationContext')
      return this.literalMs(n, this.text(kids[0]));
    return this.fail(n.from, `bad duration syntax: "${this.text(n)}"`);
  }

  private at(n: SyntaxNode): Expr {
    const kids = this.children(n);
    return this.postfix(kids[0], (e) => this.withAt(n, e, kids));
  }

  private withAt(n: SyntaxNode, e: Expr, kids: SyntaxNode[]): Expr {
    const target = this.modifiable(e);
    if (!target) {
      this.fail(
        n.from,
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.at) this.fail(kids[1].from, '@ <timestamp> may not be set multiple times');
    const arg = kids[2];
    if (arg.name === 'AtModifierPreprocessors') {
      target.at = { kind: arg.firstChild!.name === 'AtStart' ? 'start' : 'end' };
    } else {
      const seconds = this.number(arg);
      // Prometheus keeps @'s time as int64 and refuses what does not fit (its bound is in
      // seconds: float64(MaxInt64)), reporting it at the modified expression.
      if (!(Math.abs(seconds) < 2 ** 63))
        this.fail(n.from, `timestamp out of bounds for @ modifier: ${formatGoFixed(seconds)}`);
      target.at = { kind: 'time', ms: Math.round(seconds * 1000) };
    }
    return e;
  }

  private call(n: SyntaxNode): Expr {
    const [ident, body] = this.children(n);
    const spelled = this.text(ident);
    const name = spelled === LEZER_HOLT_WINTERS ? 'holt_winters' : spelled;
    const fn = FUNCTIONS.get(name);
    if (!fn) this.fail(n.from, `unknown function with name "${name}"`);
    const args = this.children(body).map((c) => this.expr(c));
    const nargs = args.length;
    const fixed = fn.argTypes.length;
    if (fn.variadic === 0 && nargs !== fixed) {
      this.fail(n.from, `expected ${fixed} argument(s) in call to "${name}", got ${nargs}`);
    } else if (fn.variadic > 0) {
      const min = fixed - fn.variadic;
      if (nargs < min)
        this.fail(
          n.from,
          `expected at least ${min} argument(s) in call to "${name}", got ${nargs}`,
        );
      if (nargs > fixed)
        this.fail(
          n.from,
          `expected at most ${fixed} argument(s) in call to "${name}", got ${nargs}`,
        );
    } else if (fn.variadic < 0 && nargs < fixed - 1) {
      this.fail(
        n.from,
        `expected at least ${fixed - 1} argument(s) in call to "${name}", got ${nargs}`,
      );
    }
    args.forEach((a, i) => {
      const want = fn.argTypes[Math.min(i, fixed - 1)];
      const got = typeOf(a);
      if (got !== want) {
        this.fail(
          n.from,
          `expected type ${typeName(want)} in call to function "${name}", got ${typeName(got)}`,
        );
      }
    });
    return { type: 'Call', func: name, args };
  }

  private aggregate(n: SyntaxNode): Expr {
    let op: AggregateOp | undefined;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'AggregateOp') {
        op = AGGREGATE_OPS[c.firstChild!.name];
        if (!op) this.fail(c.from, `unsupported aggregation "${this.text(c)}"`);
      } else if (c.name === 'AggregateModifier') {
        without = c.firstChild!.name === 'Without';
        grouping = this.groupingLabels(c.lastChild!);
      } else if (c.name === 'FunctionCallBody') {
        args = this.children(c).map((a) => this.expr(a));
      }
    }
    const aggOp = op!;
    const hasParam = ['topk', 'bottomk', 'quantile', 'count_values'].includes(aggOp);
    const want = hasParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        n.from,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const expr = args[want - 1];
    const exprType = typeOf(expr);
    if (exprType !== 'vector') {
      this.fail(
        n.from,
        `expected type instant vector in aggregation expression, got ${typeName(exprType)}`,
      );
    }
    const param = hasParam ? args[0] : undefined;
    if (param) {
      const wantParam = aggOp === 'count_values' ? 'string' : 'scalar';
      const got = typeOf(param);
      if (got !== wantParam) {
        this.fail(
          n.from,
          `expected type ${typeName(wantParam)} in aggregation parameter, got ${typeName(got)}`,
        );
      }
    }
    return { type: 'AggregateExpr', op: aggOp, expr, param, grouping, without };
  }

  private groupingLabels(n: SyntaxNode): string[] {
    return this.children(n).map((c) =>
      c.name === 'QuotedLabelName' ? this.string(c.firstChild ?? c) : this.text(c),
    );
  }

  private binary(n: SyntaxNode, rhsPostfix?: (e: Expr) => Expr): Expr {
    const kids = this.children(n);
    let lhs = this.expr(kids[0]);
    const rhsNode = kids[kids.length - 1];
    const rhs = rhsPostfix ? this.postfix(rhsNode, rhsPostfix) : this.expr(rhsNode);
    const opNode = kids[1];
    const op = BINARY_OPS[opNode.name];
    if (!op) this.fail(opNode.from, `unsupported operator "${this.text(opNode)}"`);
    // lezer reads `-2 ^ 2` as (-2) ^ 2, but in PromQL the sign binds looser than `^`: -(2 ^ 2).
    const signed =
      kids[0].name === 'NumberDurationLiteral' ? /^\s*([+-])/.exec(this.text(kids[0])) : null;
    const negate = op === '^' && signed?.[1] === '-' && lhs.type === 'NumberLiteral';
    if (negate && lhs.type === 'NumberLiteral') lhs = { type: 'NumberLiteral', value: -lhs.value };
    let returnBool = false;
    let modifier: SyntaxNode | undefined;
    for (const c of kids.slice(2, -1)) {
      if (c.name === 'BoolModifier') returnBool = true;
      else if (c.name === 'MatchingModifierClause') modifier = c;
      else this.fail(c.from, `unsupported binary modifier "${this.text(c)}"`);
    }
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    if (returnBool && !isComparison(op)) {
      this.fail(n.from, 'bool modifier can only be used on comparison operators');
    }
    if (isComparison(op) && lt === 'scalar' && rt === 'scalar' && !returnBool) {
      this.fail(n.from, 'comparisons between scalars must use BOOL modifier');
    }
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
      this.fail(n.from, 'binary expression must contain only scalar and instant vector types');
    }
    if (isSetOp(op) && (lt === 'scalar' || rt === 'scalar')) {
      this.fail(n.from, `set operator "${op}" not allowed in binary scalar expression`);
    }
    const bothVectors = lt === 'vector' && rt === 'vector';
    if (modifier && !bothVectors) {
      this.fail(n.from, 'vector matching only allowed between instant vectors');
    }
    let matching: VectorMatching | undefined;
    if (bothVectors) {
      matching = {
        card: isSetOp(op) ? 'many-to-many' : 'one-to-one',
        on: false,
        labels: [],
        include: [],
      };
      if (modifier) {
        const m = this.children(modifier);
        matching.on = m[0].name === 'On';
        matching.labels = this.groupingLabels(m[1]);
        if (m[2]) {
          if (isSetOp(op)) this.fail(n.from, `no grouping allowed for "${op}" operation`);
          matching.card = m[2].name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
          matching.include = m[3] ? this.groupingLabels(m[3]) : [];
          if (matching.on) {
            const both = matching.include.find((l) => matching!.labels.includes(l));
            if (both)
              this.fail(n.from, `label "${both}" must not occur in ON and GROUP clause at once`);
          }
        }
      }
    }
    const bin: Expr = { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching };
    return negate ? { type: 'UnaryExpr', op: '-', expr: bin } : bin;
  }

  private unary(n: SyntaxNode, postfix?: (e: Expr) => Expr): Expr {
    const [opNode, inner] = this.children(n);
    const e = postfix ? this.postfix(inner, postfix) : this.expr(inner);
    const t = typeOf(e);
    if (t !== 'scalar' && t !== 'vector') {
      this.fail(
        n.from,
        `unary expression only allowed on expressions of type scalar or instant vector, got "${typeName(t)}"`,
      );
    }
    const op = this.text(opNode) === '-' ? '-' : '+';
    if (e.type === 'NumberLiteral')
      return op === '-' ? { type: 'NumberLiteral', value: -e.value } : e;
    return op === '+' ? e : { type: 'UnaryExpr', op, expr: e };
  }
}

/** Offsets of `holt_winters(` calls outside string literals and comments. */
function holtWintersCalls(q: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < q.length && q[i] !== c; i++) if (c !== '`' && q[i] === '\\') i++;
    } else if (c === '#') {
      while (i < q.length && q[i] !== '\n') i++;
    } else if (
      q.startsWith('holt_winters', i) &&
      !/[\w:]/.test(q[i - 1] ?? '') &&
      /^\s*\(/.test(q.slice(i + 'holt_winters'.length))
    ) {
      out.push(i);
      i += 'holt_winters'.length - 1;
    }
  }
  return out;
}

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileAnchoredRegex(m.value).test('');
    case '!~':
      return !compileAnchoredRegex(m.value).test('');
  }
}

/** Parses a series selector (`match[]`) into label matchers. */
export function parseSeriesSelector(input: string): LabelMatcher[] {
  const e = parsePromQL(input);
  if (e.type !== 'VectorSelector' || e.offsetMs !== 0 || e.at) {
    throw new PromQLParseError(
      { line: 1, column: 1, offset: 0 },
      'expected type instant vector selector',
    );
  }
  return e.matchers;
}
