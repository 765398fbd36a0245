import type { ArgExpr, ParsedArgs } from './planTree';
import { formatRef, formatTemplateRef } from './refPath';

/** The arguments as the planner wrote them, `$N` kept: for events, the panel and prompts. */
export function formatArgs(args: ParsedArgs): string {
  return [...args.positional.map(formatArg), ...args.named.map(([k, v]) => `${k}=${formatArg(v)}`)].join(', ');
}

export function formatArg(expr: ArgExpr): string {
  switch (expr.kind) {
    case 'literal':
      // A dollar that would read as a reference is doubled, as the planner must write it; "foo$" stays as is.
      return JSON.stringify(expr.value).replace(/\$(?=[\d{$])/g, '$$$$');
    case 'ref':
      return formatRef(expr.id, expr.path);
    case 'template':
      return JSON.stringify(
        expr.parts.map((p) => (typeof p === 'string' ? p.replace(/\$/g, '$$$$') : formatTemplateRef(p.ref, p.path))).join(''),
      );
    case 'list':
      return `[${expr.items.map(formatArg).join(', ')}]`;
    case 'object':
      return `{${expr.entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatArg(v)}`).join(', ')}}`;
  }
}
