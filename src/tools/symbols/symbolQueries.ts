import type * as TS from 'typescript';
import { CompilerError } from '../../base/errors';
import type { AnsweringProject, DeclaredSymbol, SymbolOps, SymbolQuery } from './symbolProtocol';
import { containerOf, declarationsNamed, hitAt, isLibraryFile, identifiersOnLine, nameSpan, navigateTo, positionOf, sourceFile, tsFileName, wordPattern } from './symbolSupport';
import type { SymbolTarget } from './symbolSupport';
import type { SymbolHit } from './symbolContract';
import { outlineOf } from './outlineItems';
import type { TsProjectSet } from './tsProjectSet';
import { singleFileService } from './tsService';

/** Candidates asked of the service before ranking. */
const MAX_ITEMS = 1_000;
const MATCH_ORDER: Record<string, number> = { exact: 0, prefix: 1, substring: 2, camelCase: 3 };

type Result<K extends keyof SymbolOps> = SymbolOps[K]['result'];
type Answering = { service: TS.LanguageService; project: AnsweringProject };

/** Answers one symbol query from the workspace's projects (in the symbol worker). */
export function runSymbolQuery(ts: typeof TS, projects: TsProjectSet, query: SymbolQuery): unknown {
  switch (query.op) {
    case 'symbols':
      return symbols(ts, projects, query as SymbolQuery<'symbols'>);
    case 'definition':
      return definition(ts, projects, query as SymbolQuery<'definition'>);
    case 'references':
      return references(ts, projects, query as SymbolQuery<'references'>);
    case 'outline':
      return outline(ts, projects, query as SymbolQuery<'outline'>);
    case 'warm':
      return { files: projects.warm() };
    case 'projects':
      return projects.projects();
  }
}

/** The projects a query was answered from, when the workspace has config projects to tell apart. */
function answered(projects: TsProjectSet, used: readonly Answering[]): AnsweringProject[] {
  if (!projects.hasConfigs()) return [];
  const seen = new Map<string, AnsweringProject>();
  for (const { project } of used) seen.set(`${project.config ?? ''}\0${project.root}`, project);
  return [...seen.values()];
}

/** A text that every file declaring a name matching `query` contains: its letters in order, in one word. */
function mentionOf(query: string): RegExp {
  // Navigate-to matches the last dotted part by prefix, substring or camel-case humps: a subsequence of a word.
  const last = query.split('.').pop() ?? query;
  const word = [...(last.match(/[\p{L}\p{N}_$]+/gu) ?? [])].sort((a, b) => b.length - a.length)[0] ?? '';
  const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return new RegExp([...word].map(escape).join('[\\p{L}\\p{N}_$]*'), 'iu');
}

function symbols(ts: typeof TS, projects: TsProjectSet, { query, max }: SymbolQuery<'symbols'>): Result<'symbols'> {
  const used: Answering[] = [];
  const found: Array<{ item: TS.NavigateToItem; service: TS.LanguageService }> = [];
  const seen = new Set<string>();
  const mention = mentionOf(query);
  for (const answering of projects.servicesFor(mention)) {
    used.push(answering);
    const { service } = answering;
    for (const item of navigateTo(service, query, mention, MAX_ITEMS)) {
      const key = `${item.fileName}\0${item.textSpan.start}\0${item.name}\0${item.kind}`;
      if (isLibraryFile(service, item.fileName) || seen.has(key)) continue;
      seen.add(key);
      found.push({ item, service });
    }
  }
  const items = found.sort(
    ({ item: a }, { item: b }) =>
      Number(!a.isCaseSensitive) - Number(!b.isCaseSensitive) ||
      (MATCH_ORDER[a.matchKind] ?? 9) - (MATCH_ORDER[b.matchKind] ?? 9) ||
      (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : a.textSpan.start - b.textSpan.start),
  );
  const hits = items
    .slice(0, max)
    .map(({ item, service }) => hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) }))
    .filter((h): h is SymbolHit => h !== undefined);
  return { total: items.length, hits, projects: answered(projects, used) };
}

/** Hits of one project, marked with it when the workspace has config projects to tell apart. */
function marked(projects: TsProjectSet, { project }: Answering, hit: SymbolHit | undefined): SymbolHit | undefined {
  return hit && projects.hasConfigs() ? { ...hit, project } : hit;
}

function byPlace(a: SymbolHit, b: SymbolHit): number {
  return a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : a.line - b.line || a.column - b.column;
}

/** The services a target is answered from: its file's project, or every project that mentions the name. */
function servicesOf(projects: TsProjectSet, target: SymbolTarget): Iterable<Answering> {
  return target.kind === 'name' ? projects.servicesFor(wordPattern(target.name)) : [projects.serviceFor(target.abs)];
}

function definition(ts: typeof TS, projects: TsProjectSet, { target, maxIdentifiers }: SymbolQuery<'definition'>): Result<'definition'> {
  const hits: SymbolHit[] = [];
  const used: Answering[] = [];
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
  for (const answering of servicesOf(projects, target)) {
    used.push(answering);
    const { service } = answering;
    if (target.kind === 'name') {
      for (const item of declarationsNamed(ts, service, target.name, target.container)) {
        add(marked(projects, answering, hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) })));
      }
    } else {
      const sf = sourceFile(service, target.abs);
      const positions = target.column ? [positionOf(ts, sf, target.line, target.column)] : identifiersOnLine(ts, sf, target.line).slice(0, maxIdentifiers);
      for (const pos of positions) {
        for (const def of service.getDefinitionAtPosition(tsFileName(target.abs), pos) ?? []) {
          if (isLibraryFile(service, def.fileName)) continue;
          add(marked(projects, answering, hitAt(ts, service, def.fileName, def.textSpan, { name: def.name, kind: def.kind, container: def.containerName })));
        }
      }
    }
  }
  // Declarations by name in file order, whichever project found them; at a location, in the service's order.
  if (target.kind === 'name' && used.length > 1) hits.sort(byPlace);
  return { hits, elsewhere: elsewhere(ts, projects, used, target, hits.length), projects: answered(projects, used) };
}

/** Declarations shown when `Container.name` matched none: those of the bare name. */
const MAX_ELSEWHERE = 5;

/** For `Container.name` that matched nothing, the declarations of `name` in other containers. */
function elsewhere(ts: typeof TS, projects: TsProjectSet, used: readonly Answering[], target: SymbolTarget, found: number): SymbolHit[] {
  if (found > 0 || target.kind !== 'name' || target.container === undefined) return [];
  const hits: SymbolHit[] = [];
  for (const answering of used) {
    const { service } = answering;
    for (const item of declarationsNamed(ts, service, target.name)) {
      const hit = marked(projects, answering, hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: containerOf(ts, service, item) }));
      // One entry per declaration, as `definition` gives them.
      if (hit && !hits.some((h) => h.abs === hit.abs && h.line === hit.line && h.container === hit.container)) hits.push(hit);
      if (hits.length === MAX_ELSEWHERE) return hits;
    }
  }
  return hits;
}

function references(ts: typeof TS, projects: TsProjectSet, { target, maxReferences, maxDeclarations }: SymbolQuery<'references'>): Result<'references'> {
  const declared: DeclaredSymbol[] = [];
  const used: Answering[] = [];
  const hits = new Map<string, SymbolHit>();
  for (const answering of servicesOf(projects, target)) {
    used.push(answering);
    const { service } = answering;
    const starts: Array<{ fileName: string; pos: number }> = [];
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
    for (const { fileName, pos } of starts) {
      for (const symbol of service.findReferences(fileName, pos) ?? []) {
        for (const ref of symbol.references) {
          if (isLibraryFile(service, ref.fileName)) continue;
          const key = `${ref.fileName}\0${ref.textSpan.start}`;
          if (hits.has(key) || hits.size >= maxReferences) continue;
          const hit = marked(projects, answering, hitAt(ts, service, ref.fileName, ref.textSpan, { isDefinition: Boolean(ref.isDefinition) }));
          if (hit) hits.set(key, hit);
        }
      }
    }
  }
  const sorted = [...hits.values()].sort(byPlace);
  return { hits: sorted, declared, capped: hits.size >= maxReferences, elsewhere: elsewhere(ts, projects, used, target, declared.length), projects: answered(projects, used) };
}

/** From the file's syntax alone, through a service over that file only: no project is built for an outline. */
function outline(ts: typeof TS, projects: TsProjectSet, { abs }: SymbolQuery<'outline'>): Result<'outline'> {
  const service = singleFileService(ts, projects.access, tsFileName(abs), ts.createDocumentRegistry());
  try {
    if (!service.getProgram()?.getSourceFile(tsFileName(abs))) throw new CompilerError('not-found', `${abs} could not be read.`);
    return outlineOf(ts, service, tsFileName(abs));
  } finally {
    service.dispose();
  }
}
