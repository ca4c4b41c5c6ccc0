import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** Every field costs 1; a list field multiplies its children by its `first`/`limit` (or 10). */
  maxCost: number;
}

/** Apollo stamps validation errors GRAPHQL_VALIDATION_FAILED; `limit` tells the formatter it is ours. */
function limitError(message: string, limit: 'depth' | 'aliases' | 'cost'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit } });
}

/**
 * One validation rule for depth, aliases and cost, so a hostile query is refused before any
 * resolver runs. Fragments are expanded (and cycles are already refused by graphql-js).
 */
export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const measure = (set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; aliases: number; cost: number } => {
      let maxDepth = depth;
      let aliases = 0;
      let cost = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.alias) aliases++;
          let childCost = 0;
          if (sel.selectionSet) {
            const child = measure(sel.selectionSet, depth + 1, seen);
            maxDepth = Math.max(maxDepth, child.depth);
            aliases += child.aliases;
            const sizeArg = sel.arguments?.find((a) => ['first', 'last', 'limit'].includes(a.name.value));
            const multiplier = sizeArg && sizeArg.value.kind === Kind.INT ? Math.max(1, Number(sizeArg.value.value)) : 1;
            childCost = child.cost * multiplier;
          }
          cost += 1 + childCost;
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const child = measure(sel.selectionSet, depth, seen);
          maxDepth = Math.max(maxDepth, child.depth);
          aliases += child.aliases;
          cost += child.cost;
        } else {
          const name = sel.name.value;
          const frag = fragments.get(name);
          if (!frag || seen.has(name)) continue;
          const child = measure(frag.selectionSet, depth, new Set([...seen, name]));
          maxDepth = Math.max(maxDepth, child.depth);
          aliases += child.aliases;
          cost += child.cost;
        }
      }
      return { depth: maxDepth, aliases, cost };
    };
    return {
      OperationDefinition(node) {
        const m = measure(node.selectionSet, 1, new Set());
        if (m.depth > limits.maxDepth) {
          context.reportError(limitError(`Query depth ${m.depth} exceeds the limit of ${limits.maxDepth}`, 'depth'));
        }
        if (m.aliases > limits.maxAliases) {
          context.reportError(limitError(`Query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}`, 'aliases'));
        }
        if (m.cost > limits.maxCost) {
          context.reportError(limitError(`Query cost ${m.cost} exceeds the limit of ${limits.maxCost}`, 'cost'));
        }
      },
    };
  };
}
