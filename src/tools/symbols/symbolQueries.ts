import type * as TS from 'typescript';
import type { DeclaredSymbol, OutlineItem, SymbolOps, SymbolQuery } from './symbolProtocol';
import { assignmentTarget, containerOf, declarationsNamed, hitAt, isLibraryFile, identifiersOnLine, lineCount, nameSpan, positionOf, sourceFile, tsFileName } from './symbolSupport';
import type { SymbolHit } from './symbolContract';

/** Candidates asked of the service before ranking. */
const MAX_ITEMS = 1_000;
const MATCH_ORDER: Record<string, number> = { exact: 0, prefix: 1, substring: 2, camelCase: 3 };

type Result<K extends keyof SymbolOps> = SymbolOps[K]['result'];

/** Answers one symbol query from a built language service (in the symbol worker). */
export function runSymbolQuery(ts: typeof TS, service: TS.LanguageService, query: SymbolQuery): unknown {
  switch (query.op) {
    case 'symbols':
      return symbols(ts, service, query as SymbolQuery<'symbols'>);
    case 'definition':
      return definition(ts, service, query as SymbolQuery<'definition'>);
    case 'references':
      return references(ts, service, query as SymbolQuery<'references'>);
    case 'outline':
      return outline(ts, service, query as SymbolQuery<'outline'>);
    case 'warm':
      return warm(service);
  }
}

/** Parses and binds every file, as the first real query would, so that one finds the program built. */
function warm(service: TS.LanguageService): Result<'warm'> {
  const program = service.getProgram();
  program?.getTypeChecker();
  return { files: program?.getSourceFiles().length ?? 0 };
}

function symbols(ts: typeof TS, service: TS.LanguageService, { query, max }: SymbolQuery<'symbols'>): Result<'symbols'> {
  const items = service
    .getNavigateToItems(query, MAX_ITEMS)
    .filter((item) => !isLibraryFile(service, item.fileName))
    .sort(
      (a, b) =>
        Number(!a.isCaseSensitive) - Number(!b.isCaseSensitive) ||
        (MATCH_ORDER[a.matchKind] ?? 9) - (MATCH_ORDER[b.matchKind] ?? 9) ||
        (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : a.textSpan.start - b.textSpan.start),
    );
  const hits = items
    .slice(0, max)
    .map((item) => hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) }))
    .filter((h): h is SymbolHit => h !== undefined);
  return { total: items.length, hits };
}

function definition(ts: typeof TS, service: TS.LanguageService, { target, maxIdentifiers }: SymbolQuery<'definition'>): Result<'definition'> {
  const hits: SymbolHit[] = [];
  const seen = new Set<string>();
  const add = (hit: SymbolHit | undefined): void => {
    if (!hit) return;
    // By name, `res.send = function send() {}` is one declaration, though TypeScript lists the property and the
    // function apart.
    const key = target.kind === 'name' ? `${hit.abs}:${hit.line}:${hit.name}:${hit.container}` : `${hit.abs}:${hit.line}:${hit.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push(hit);
  };
  if (target.kind === 'name') {
    for (const item of declarationsNamed(ts, service, target.name, target.container)) {
      add(hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) }));
    }
  } else {
    const sf = sourceFile(service, target.abs);
    const positions = target.column
      ? [positionOf(ts, sf, target.line, target.column)]
      : identifiersOnLine(ts, sf, target.line).slice(0, maxIdentifiers);
    for (const pos of positions) {
      for (const def of service.getDefinitionAtPosition(tsFileName(target.abs), pos) ?? []) {
        if (isLibraryFile(service, def.fileName)) continue;
        add(hitAt(ts, service, def.fileName, def.textSpan, { name: def.name, kind: def.kind, container: def.containerName }));
      }
    }
  }
  return { hits, elsewhere: elsewhere(ts, service, target, hits.length) };
}

/** Declarations shown when `Container.name` matched none: those of the bare name. */
const MAX_ELSEWHERE = 5;

/** For `Container.name` that matched nothing, the declarations of `name` in other containers. */
function elsewhere(ts: typeof TS, service: TS.LanguageService, target: SymbolQuery<'definition'>['target'], found: number): SymbolHit[] {
  if (found > 0 || target.kind !== 'name' || target.container === undefined) return [];
  const hits: SymbolHit[] = [];
  for (const item of declarationsNamed(ts, service, target.name)) {
    const hit = hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) });
    // One entry per declaration, as `definition` gives them.
    if (hit && !hits.some((h) => h.abs === hit.abs && h.line === hit.line && h.container === hit.container)) hits.push(hit);
    if (hits.length === MAX_ELSEWHERE) break;
  }
  return hits;
}

function references(
  ts: typeof TS,
  service: TS.LanguageService,
  { target, maxReferences, maxDeclarations }: SymbolQuery<'references'>,
): Result<'references'> {
  const starts: Array<{ fileName: string; pos: number }> = [];
  const declared: DeclaredSymbol[] = [];
  if (target.kind === 'name') {
    for (const item of declarationsNamed(ts, service, target.name, target.container).slice(0, maxDeclarations)) {
      const span = nameSpan(service, item);
      starts.push({ fileName: item.fileName, pos: span.start });
      const at = hitAt(ts, service, item.fileName, span);
      const container = containerOf(ts, service, item);
      if (at && !declared.some((d) => d.abs === at.abs && d.line === at.line && d.name === item.name && d.container === container)) declared.push({ kind: item.kind, name: item.name, container, abs: at.abs, line: at.line });
    }
  } else {
    const sf = sourceFile(service, target.abs);
    const pos = target.column ? positionOf(ts, sf, target.line, target.column) : identifiersOnLine(ts, sf, target.line)[0];
    if (pos !== undefined) starts.push({ fileName: tsFileName(target.abs), pos });
  }

  const hits = new Map<string, SymbolHit>();
  for (const { fileName, pos } of starts) {
    for (const symbol of service.findReferences(fileName, pos) ?? []) {
      for (const ref of symbol.references) {
        if (isLibraryFile(service, ref.fileName)) continue;
        const key = `${ref.fileName}\0${ref.textSpan.start}`;
        if (hits.has(key) || hits.size >= maxReferences) continue;
        const hit = hitAt(ts, service, ref.fileName, ref.textSpan, { isDefinition: Boolean(ref.isDefinition) });
        if (hit) hits.set(key, hit);
      }
    }
  }
  const sorted = [...hits.values()].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : a.line - b.line || a.column - b.column));
  return { hits: sorted, declared, capped: hits.size >= maxReferences, elsewhere: elsewhere(ts, service, target, declared.length) };
}

function outline(ts: typeof TS, service: TS.LanguageService, { abs }: SymbolQuery<'outline'>): Result<'outline'> {
  const sf = sourceFile(service, abs);
  const tree = service.getNavigationTree(tsFileName(abs));
  const items: OutlineItem[] = [];
  const visit = (node: TS.NavigationTree, depth: number): void => {
    // The service sorts by name; the file's own order reads better.
    const children = [...(node.childItems ?? [])].sort((a, b) => a.spans[0].start - b.spans[0].start);
    for (const child of children) {
      // Imports name declarations made elsewhere; the editor's outline leaves them out too.
      if (child.kind === 'alias') continue;
      const span = child.spans[0];
      const line = ts.getLineAndCharacterOfPosition(sf, span.start).line + 1;
      const endLine = ts.getLineAndCharacterOfPosition(sf, span.start + span.length).line + 1;
      const name = child.text === '<unknown>' ? (assignmentTarget(ts, sf, span) ?? child.text) : child.text;
      items.push({ name, kind: child.kind, kindModifiers: child.kindModifiers, line, endLine, depth });
      visit(child, depth + 1);
    }
  };
  visit(tree, 0);
  return { lines: lineCount(sf), items };
}
