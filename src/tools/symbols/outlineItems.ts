import type * as TS from 'typescript';
import type { OutlineItem } from './symbolProtocol';
import { assignmentTarget, assignedContainer, lineCount, nodeSpanning } from './symbolSupport';

/**
 * A file's outline from TypeScript's language service over that file alone (no program of the project is needed):
 * the navigation tree with one entry per span, as the editor's outline shows it (each overload signature is its own
 * entry, its body's declarations under the one that has them), and the declarations navigate-to finds at the
 * file's top level that the tree leaves out: CommonJS aliases (`res.set = res.header = function header…`) and
 * exports whose name another declaration of the file already has (`var etag = require('etag')` …
 * `exports.etag = …`).
 */
export function outlineOf(ts: typeof TS, service: TS.LanguageService, fileName: string): { lines: number; items: OutlineItem[] } {
  const sf = service.getProgram()?.getSourceFile(fileName);
  if (!sf) return { lines: 0, items: [] };
  const line = (pos: number) => ts.getLineAndCharacterOfPosition(sf, pos).line + 1;
  const items: Array<OutlineItem & { start: number }> = [];
  const visit = (node: TS.NavigationTree, depth: number, within: TS.TextSpan | undefined): void => {
    // The service sorts by name; the file's own order reads better.
    const children = [...(node.childItems ?? [])].sort((a, b) => a.spans[0].start - b.spans[0].start);
    for (const child of children) {
      // Imports name declarations made elsewhere; the editor's outline leaves them out too.
      if (child.kind === 'alias') continue;
      // A merged item (overloads, a class assembled from a function and its prototype) is shown under the entry of
      // its parent's span it overlaps, as the editor does.
      if (within && !child.spans.some((s) => overlaps(s, within))) continue;
      for (const span of [...child.spans].sort((a, b) => a.start - b.start)) {
        const name = child.text === '<unknown>' ? (assignmentTarget(ts, sf, span) ?? child.text) : child.text;
        items.push({ name, kind: child.kind, kindModifiers: child.kindModifiers, line: line(span.start), endLine: line(span.start + span.length), depth, start: span.start });
        visit(child, depth + 1, span);
      }
    }
  };
  visit(service.getNavigationTree(fileName), 0, undefined);

  const covered = (item: TS.NavigateToItem) =>
    items.some((e) => e.start === item.textSpan.start || (e.name === item.name && e.line === line(item.textSpan.start)));
  const added = topLevelDeclarations(ts, service, sf)
    .filter((item) => !covered(item))
    .map((item) => {
      const { start, length } = item.textSpan;
      const container = assignedContainer(ts, service, item);
      return {
        name: item.name,
        kind: item.kind,
        kindModifiers: item.kindModifiers,
        line: line(start),
        endLine: line(start + length),
        depth: 0,
        start,
        ...(container ? { container } : {}),
      };
    });
  // Top-level additions go between the top-level entries, in file order; nested entries stay under their parent.
  const out: OutlineItem[] = [];
  let next = 0;
  for (const item of items) {
    if (item.depth === 0) while (next < added.length && added[next]!.start < item.start) out.push(strip(added[next++]!));
    out.push(strip(item));
  }
  while (next < added.length) out.push(strip(added[next++]!));
  return { lines: lineCount(sf), items: out };
}

function strip<T extends { start: number }>({ start: _start, ...item }: T): Omit<T, 'start'> {
  return item;
}

function overlaps(a: TS.TextSpan, b: TS.TextSpan): boolean {
  return a.start <= b.start + b.length && b.start <= a.start + a.length;
}

/** Whether a node lies in the body of a function, class or object: somewhere other than the module's surface. */
function isLocal(ts: typeof TS, node: TS.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isObjectLiteralExpression(n) || ts.isModuleBlock(n)) return true;
  }
  return false;
}

/**
 * Navigate-to's declarations in one file outside any function, class or object, sorted by position. Navigate-to has
 * no "everything" query; each name is found by its first character, a prefix match.
 */
function topLevelDeclarations(ts: typeof TS, service: TS.LanguageService, sf: TS.SourceFile): TS.NavigateToItem[] {
  const firsts = new Set<string>();
  for (const m of sf.text.matchAll(/(?<![\p{L}\p{N}_$])[\p{L}\p{N}_$]/gu)) firsts.add(m[0].toLowerCase());
  const seen = new Set<string>();
  const found: TS.NavigateToItem[] = [];
  for (const first of firsts) {
    for (const item of service.getNavigateToItems(first, undefined, sf.fileName)) {
      if (item.fileName !== sf.fileName || item.kind === 'alias' || item.matchKind !== 'prefix' && item.matchKind !== 'exact') continue;
      const key = `${item.textSpan.start}\0${item.name}\0${item.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const node = nodeSpanning(sf, item.textSpan.start, item.textSpan.start + item.textSpan.length);
      if (!node || !ts.isBinaryExpression(node) || isLocal(ts, node)) continue;
      found.push(item);
    }
  }
  return found.sort((a, b) => a.textSpan.start - b.textSpan.start);
}
