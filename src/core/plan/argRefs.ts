import type { ArgExpr, ParsedArgs } from './planTree';

/** The task ids the arguments refer to with `$N`, anywhere inside them: sorted, unique. */
export function argRefs(args: ParsedArgs): number[] {
  const ids = new Set<number>();
  const visit = (expr: ArgExpr): void => {
    switch (expr.kind) {
      case 'ref':
        ids.add(expr.id);
        break;
      case 'template':
        for (const part of expr.parts) if (typeof part !== 'string') ids.add(part.ref);
        break;
      case 'list':
        expr.items.forEach(visit);
        break;
      case 'object':
        for (const [, value] of expr.entries) visit(value);
        break;
      case 'literal':
        break;
    }
  };
  args.positional.forEach(visit);
  for (const [, value] of args.named) visit(value);
  return [...ids].sort((a, b) => a - b);
}
