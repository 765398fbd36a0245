import * as vscode from 'vscode';
import { raceAbort } from '../../base/abortable';
import { CompilerError } from '../../base/errors';
import type { FileLocation, JsonObject, Tool, ToolContext, ToolOutput, ToolParam } from '../../shared/types';
import { bareName, identifierColumns, wordAt } from '../../surfaces/symbolNames';
import { TextBudget, clipLine } from '../../tools/textBudget';
import { optionalInt, stringArg } from '../../tools/toolArgs';
import { displayPath, fileLocation, resolveWorkspacePath } from '../../tools/files/workspacePath';
import { askWhenReady } from './languageReady';
import type { FileFinder, SymbolHit, SymbolTarget } from './symbolTarget';
import { LineReader, exactly, findSymbols, inWorkspace, kindName, parseTarget, toFileLocation } from './symbolTarget';

// The symbol tools through VS Code's language features (the language servers of the installed extensions).
// Same names and parameters as the Node tools; when VS Code has no answer (no language extension for the file,
// or its server has not loaded the project yet), the Node tool of the same name answers instead.

const DEFAULT_SYMBOLS = 50;
const MAX_SYMBOLS = 300;
const DEFAULT_REFERENCES = 100;
const MAX_REFERENCES = 1000;
const MAX_DEFINITIONS = 8;
/** Files mentioning a name that are opened before asking for its references. */
const MAX_REFERENCE_FILES = 20;
const DEFINITION_LINES = 15;
/** Identifiers tried on a line given without a column. */
const MAX_TRIES = 6;

/** The same parameters as the Node tools of these names, so the planner sees one contract whichever answers. */
export const SYMBOL_TOOL_SPECS = {
  symbols: {
    description:
      'symbols(query) finds declarations (classes, functions, methods, interfaces, types, variables, …) whose name ' +
      'matches query, through the language servers of the editor (as "Go to Symbol in Workspace": exact names first, ' +
      'then fuzzy matches), in every language the editor understands. Each result shows kind, name, "path:line" and ' +
      'container. The value is a list of {name, kind, container, path, line, column}. Use it to locate a definition ' +
      'when you know (part of) its name.',
    params: [{ name: 'query', schema: { type: 'string', minLength: 1 }, description: 'Symbol name or part of it.' }],
  },
  definition: {
    description:
      'definition(name_or_location) finds where a symbol is defined, through the editor\'s language servers. Give a ' +
      'name ("parseConfig", or "ClassName.method") or a use site "path:line[:column]" (with only a line, the ' +
      'identifiers on that line are tried in turn). Returns each definition as "kind name — path:line" followed by its ' +
      `first lines of code, numbered; the value is a list of {name, kind, path, line, endLine}. Follow with read_file for the full body.`,
    params: [
      { name: 'name_or_location', schema: { type: 'string', minLength: 1 }, description: 'Symbol name, or path:line[:column] of a use.' },
    ],
  },
  references: {
    description:
      'references(name_or_location) lists the places a symbol is used, through the editor\'s language servers (real ' +
      'references, not text matches): by name, or for the identifier at "path:line[:column]". Returns the uses ' +
      `grouped by file as "line:column: text" (at most ${DEFAULT_REFERENCES}); the value is a list of {path, line, column, text}. ` +
      'Use it to find the callers and users of a function, class or variable.',
    params: [
      { name: 'name_or_location', schema: { type: 'string', minLength: 1 }, description: 'Symbol name, or path:line[:column] of a use or declaration.' },
    ],
  },
  outline: {
    description:
      'outline(path) lists the symbols a file declares (classes, functions, methods, fields, …) as an indented tree ' +
      '"kind name (lines start-end)", from the editor\'s language servers, in any language the editor understands ' +
      '(Markdown headings too). The value is a list of {name, kind, line, endLine, depth}. Use it to see a file\'s ' +
      'structure before reading parts of it.',
    params: [{ name: 'path', schema: { type: 'string', minLength: 1 }, description: 'File relative to the workspace root.' }],
  },
} satisfies Record<string, { description: string; params: ToolParam[] }>;

export type SymbolToolName = keyof typeof SYMBOL_TOOL_SPECS;
export const SYMBOL_TOOL_NAMES = Object.keys(SYMBOL_TOOL_SPECS) as SymbolToolName[];

type Impl = (args: JsonObject, ctx: ToolContext, finder?: FileFinder) => Promise<ToolOutput | undefined>;

const IMPLS: Record<SymbolToolName, Impl> = { symbols, definition, references, outline };

/**
 * The VS Code symbol tools. Each takes the Node tool of its name (when there is one) for its parameters, so the
 * planner sees one contract, and as the answer when VS Code has none.
 */
export function createVsCodeSymbolTools(nodeTools: ReadonlyMap<string, Tool> = new Map(), finder?: FileFinder): Tool[] {
  return SYMBOL_TOOL_NAMES.map((name) => {
    const fallback = nodeTools.get(name);
    const spec = SYMBOL_TOOL_SPECS[name];
    return {
      name,
      description: spec.description,
      params: fallback?.params ?? spec.params,
      ...(fallback?.timeoutMs !== undefined ? { timeoutMs: fallback.timeoutMs } : {}),
      async run(args, ctx) {
        const output = await IMPLS[name](args, ctx, finder);
        if (output) return output;
        if (fallback) return fallback.run(args, ctx);
        return { text: `No results: ${noResults(name, args)}` };
      },
    };
  });
}

function noResults(name: SymbolToolName, args: JsonObject): string {
  const what = String(args.query ?? args.name_or_location ?? args.path ?? '');
  return `the language features of VS Code know no ${name === 'outline' ? 'symbols in' : name === 'symbols' ? 'symbols matching' : `${name} of`} ${JSON.stringify(what)}.`;
}

function execute<T>(signal: AbortSignal, command: string, ...args: unknown[]): Promise<T | undefined> {
  return raceAbort(Promise.resolve(vscode.commands.executeCommand<T | undefined>(command, ...args)), signal);
}

// ---------------------------------------------------------------------------------------------------------------

async function symbols(args: JsonObject, ctx: ToolContext, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const query = stringArg(args, 'query');
  const max = optionalInt(args, 'max_results', { min: 1, max: MAX_SYMBOLS }) ?? DEFAULT_SYMBOLS;
  const reader = new LineReader();
  const { hits, outside } = await findSymbols(query, ctx.roots, ctx.signal, reader, undefined, finder);
  if (hits.length === 0) return undefined;
  const q = query.toLowerCase();
  const rank = (h: SymbolHit) => (h.name === query ? 0 : h.name.toLowerCase() === q ? 1 : h.name.toLowerCase().startsWith(q) ? 2 : 3);
  hits.sort((a, b) => rank(a) - rank(b));
  const shown = hits.slice(0, max);
  const budget = new TextBudget(ctx.maxChars);
  budget.add(`${hits.length > max ? `First ${max} of ${hits.length}` : hits.length} symbol${hits.length === 1 ? '' : 's'} matching "${query}"${outsideNote(outside)}:`);
  for (const h of shown) budget.add(`${h.kind} ${bareName(h.name)}${h.container ? ` (in ${h.container})` : ''} — ${cite(h.location, ctx.roots)}`);
  budget.skip(hits.length - shown.length);
  return {
    text: budget.finish('use a more specific query'),
    value: shown.map((h) => ({ name: bareName(h.name), kind: h.kind, container: h.container ?? null, path: h.location.relPath, line: h.location.line ?? 1, column: h.location.column ?? 1 })),
    locations: shown.map((h) => h.location),
    truncated: budget.truncated,
  };
}

async function definition(args: JsonObject, ctx: ToolContext, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const target = await parseTarget(stringArg(args, 'name_or_location'), ctx.roots);
  const reader = new LineReader();
  let defs: Array<{ abs: string; range: vscode.Range; name?: string; kind?: string }>;
  let outside = 0;
  if (target.kind === 'name') {
    const found = await findSymbols(target.name, ctx.roots, ctx.signal, reader, exactly(target), finder);
    outside = found.outside;
    defs = found.hits.map((h) => ({ abs: h.location.path, range: rangeOf(h.location), name: bareName(h.name), kind: h.kind }));
  } else {
    const found = await atLocation(target, reader, ctx.signal, (uri, pos) =>
      execute<Array<vscode.Location | vscode.LocationLink>>(ctx.signal, 'vscode.executeDefinitionProvider', uri, pos),
    );
    defs = [];
    for (const d of found) {
      const uri = 'targetUri' in d ? d.targetUri : d.uri;
      const range = 'targetUri' in d ? d.targetRange : d.range;
      const abs = await inWorkspace(uri.fsPath, ctx.roots);
      if (abs === undefined) outside++;
      else defs.push({ abs, range });
    }
  }
  if (defs.length === 0) {
    return outside > 0 ? { text: `The definition of ${describe(target)} is outside the workspace (${outside} found, e.g. in a library or the language runtime).` } : undefined;
  }
  const budget = new TextBudget(ctx.maxChars);
  const shown = defs.slice(0, MAX_DEFINITIONS);
  budget.add(`${defs.length} definition${defs.length === 1 ? '' : 's'} of ${describe(target)}${outsideNote(outside)}:`);
  const locations: FileLocation[] = [];
  const value: JsonObject[] = [];
  for (const d of shown) {
    const location = toFileLocation(d.abs, d.range, ctx.roots);
    locations.push(location);
    value.push({ name: d.name ?? null, kind: d.kind ?? null, path: location.relPath, line: location.line ?? 1, endLine: location.endLine ?? location.line ?? 1 });
    budget.add(`${d.kind ?? 'symbol'} ${d.name ?? ''} — ${cite(location, ctx.roots)}`);
    const lines = (await reader.lines(d.abs)) ?? [];
    const last = Math.min(d.range.end.line, d.range.start.line + DEFINITION_LINES - 1, lines.length - 1);
    for (let l = d.range.start.line; l <= last; l++) budget.add(`  ${l + 1}: ${clipLine(lines[l] ?? '')}`);
    if (d.range.end.line > last) budget.add(`  … (${d.range.end.line - last} more lines; read_file for the rest)`);
  }
  budget.skip(defs.length - shown.length);
  return { text: budget.finish(), value, locations, truncated: budget.truncated };
}

async function references(args: JsonObject, ctx: ToolContext, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const target = await parseTarget(stringArg(args, 'name_or_location'), ctx.roots);
  const max = optionalInt(args, 'max_results', { min: 1, max: MAX_REFERENCES }) ?? DEFAULT_REFERENCES;
  const reader = new LineReader();
  const lookup = (uri: vscode.Uri, pos: vscode.Position) => execute<vscode.Location[]>(ctx.signal, 'vscode.executeReferenceProvider', uri, pos);
  // Language servers without a project file know only the files that are open: open those that mention the name.
  const mentions = async (word: string | undefined) =>
    finder && word ? (await finder(word, ctx.roots, ctx.signal)).slice(0, MAX_REFERENCE_FILES).map((f) => vscode.Uri.file(f)) : [];
  const lookupWithMentions = async (uri: vscode.Uri, pos: vscode.Position, word: string | undefined) =>
    askWhenReady([uri, ...(await mentions(word))], ctx.signal, async () => (await lookup(uri, pos)) ?? []);
  let refs: vscode.Location[] = [];
  let definedAt: string | undefined;
  if (target.kind === 'name') {
    const { hits } = await findSymbols(target.name, ctx.roots, ctx.signal, reader, exactly(target), finder);
    for (const hit of hits.slice(0, MAX_DEFINITIONS)) refs.push(...(await lookupWithMentions(hit.uri, hit.namePosition, bareName(hit.name))));
    if (hits[0]) definedAt = cite(hits[0].location, ctx.roots);
  } else {
    const text = (await reader.line(target.abs, target.line)) ?? '';
    refs = await atLocation(target, reader, ctx.signal, (uri, pos) => lookupWithMentions(uri, pos, wordAt(text, pos.character)));
  }
  const inside: Array<{ abs: string; range: vscode.Range }> = [];
  const seen = new Set<string>();
  let outside = 0;
  for (const r of refs) {
    const abs = await inWorkspace(r.uri.fsPath, ctx.roots);
    if (abs === undefined) {
      outside++;
      continue;
    }
    const key = `${abs}:${r.range.start.line}:${r.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inside.push({ abs, range: r.range });
  }
  if (inside.length === 0) return outside > 0 ? { text: `All ${outside} references to ${describe(target)} are outside the workspace.` } : undefined;
  inside.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : a.range.start.line - b.range.start.line));
  const shown = inside.slice(0, max);
  const budget = new TextBudget(ctx.maxChars);
  const files = new Set(inside.map((r) => r.abs)).size;
  budget.add(
    `${inside.length} reference${inside.length === 1 ? '' : 's'} to ${describe(target)}${definedAt ? ` (defined at ${definedAt})` : ''} in ${files} file${files === 1 ? '' : 's'}${inside.length > max ? ` (first ${max} shown)` : ''}${outsideNote(outside)}:`,
  );
  const locations: FileLocation[] = [];
  const value: JsonObject[] = [];
  let file: string | undefined;
  for (const r of shown) {
    if (r.abs !== file) {
      file = r.abs;
      budget.add(displayPath(r.abs, ctx.roots));
    }
    const text = (await reader.line(r.abs, r.range.start.line + 1)) ?? '';
    const location = toFileLocation(r.abs, r.range, ctx.roots);
    locations.push(location);
    value.push({ path: location.relPath, line: location.line ?? 1, column: location.column ?? 1, text: text.trim() });
    budget.add(`  ${r.range.start.line + 1}:${r.range.start.character + 1}: ${clipLine(text.trim(), r.range.start.character + 1)}`);
  }
  budget.skip(inside.length - shown.length);
  return { text: budget.finish('ask about a narrower symbol or location'), value, locations, truncated: budget.truncated };
}

async function outline(args: JsonObject, ctx: ToolContext): Promise<ToolOutput | undefined> {
  const file = await resolveWorkspacePath(stringArg(args, 'path'), ctx.roots);
  const uri = vscode.Uri.file(file.abs);
  const found = await askWhenReady([uri], ctx.signal, () =>
    vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>('vscode.executeDocumentSymbolProvider', uri),
  );
  if (found.length === 0) return undefined;
  const rows: Array<{ name: string; kind: string; range: vscode.Range; depth: number }> = [];
  const walk = (symbols: readonly vscode.DocumentSymbol[], depth: number) => {
    for (const s of [...symbols].sort((a, b) => a.range.start.line - b.range.start.line)) {
      rows.push({ name: s.name, kind: kindName(s.kind), range: s.range, depth });
      walk(s.children ?? [], depth + 1);
    }
  };
  if ('children' in found[0]!) {
    walk(found as vscode.DocumentSymbol[], 0);
  } else {
    for (const s of found as vscode.SymbolInformation[]) rows.push({ name: s.name, kind: kindName(s.kind), range: s.location.range, depth: s.containerName ? 1 : 0 });
    rows.sort((a, b) => a.range.start.line - b.range.start.line);
  }
  const budget = new TextBudget(ctx.maxChars);
  const lineCount = (await new LineReader().lines(file.abs))?.length;
  budget.add(`${file.display}${lineCount !== undefined ? ` (${lineCount} lines)` : ''}:`);
  for (const r of rows) {
    const lines = r.range.end.line > r.range.start.line ? `lines ${r.range.start.line + 1}-${r.range.end.line + 1}` : `line ${r.range.start.line + 1}`;
    budget.add(`${'  '.repeat(r.depth + 1)}${r.kind} ${r.name} (${lines})`);
  }
  return {
    text: budget.finish(`read_file ${file.display} in ranges instead`),
    value: rows.map((r) => ({ name: r.name, kind: r.kind, line: r.range.start.line + 1, endLine: r.range.end.line + 1, depth: r.depth })),
    locations: [fileLocation(file.abs, ctx.roots)],
    truncated: budget.truncated,
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Runs a position lookup at `path:line:col`, or at each identifier of the line in turn until one answers. */
async function atLocation<T>(
  target: Extract<SymbolTarget, { kind: 'location' }>,
  reader: LineReader,
  signal: AbortSignal,
  lookup: (uri: vscode.Uri, pos: vscode.Position) => Promise<T[] | undefined>,
): Promise<T[]> {
  const text = await reader.line(target.abs, target.line);
  if (text === undefined) throw new CompilerError('invalid-args', `${target.display} is past the end of the file.`);
  const columns = target.column !== undefined ? [target.column - 1] : identifierColumns(text).slice(0, MAX_TRIES);
  for (const [i, column] of columns.entries()) {
    const at = new vscode.Position(target.line - 1, column);
    // The first ask opens the file and waits for its language; the others find it ready.
    const found = i === 0 ? await askWhenReady([target.uri], signal, async () => (await lookup(target.uri, at)) ?? []) : ((await lookup(target.uri, at)) ?? []);
    if (signal.aborted) break;
    if (found.length > 0) return found;
  }
  return [];
}

function describe(target: SymbolTarget): string {
  if (target.kind === 'location') return `the symbol at ${target.display}`;
  return `"${target.container ? `${target.container}.` : ''}${target.name}"`;
}

function cite(location: FileLocation, roots: readonly string[]): string {
  return `${displayPath(location.path, roots)}:${location.line ?? 1}`;
}

function rangeOf(location: FileLocation): vscode.Range {
  return new vscode.Range((location.line ?? 1) - 1, (location.column ?? 1) - 1, (location.endLine ?? location.line ?? 1) - 1, (location.endColumn ?? 1) - 1);
}

function outsideNote(outside: number): string {
  return outside > 0 ? `; ${outside} more outside the workspace not shown` : '';
}
