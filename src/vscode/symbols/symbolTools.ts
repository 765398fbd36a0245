import * as vscode from 'vscode';
import { raceAbort } from '../../base/abortable';
import { CompilerError } from '../../base/errors';
import type { JsonObject } from '../../shared/json';
import type { Tool, ToolContext, ToolOutput } from '../../shared/toolContract';
import {
  MAX_REFERENCES,
  MAX_SYMBOLS,
  SYMBOL_TOOL_NAMES,
  SYMBOL_TOOL_SPECS,
  bareName,
  definitionText,
  hitLocation,
  hitText,
  hitValue,
  identifierColumns,
  outlineText,
  outlineValue,
  parseTarget,
  referencesText,
  symbolsText,
  wordAt,
} from '../../tools/symbols/symbolContract';
import type { OutlineEntry, SymbolHit, SymbolTarget, SymbolToolName } from '../../tools/symbols/symbolContract';
import { stringArg } from '../../tools/toolArgs';
import { displayPath, fileLocation } from '../../tools/paths/workspacePath';
import { openableFile } from '../../tools/files/fileContent';
import { ReadPolicy } from '../../tools/paths/readPolicy';
import { askWhenReady } from './languageReady';
import type { EditorSymbolHit, EditorSymbolTarget, FileFinder } from './symbolTarget';
import { LineReader, documentSymbols, editorTarget, exactly, findSymbols, inWorkspace, kindName, readableFiles } from './symbolTarget';

// The symbol tools through VS Code's language features (the language servers of the installed extensions), in
// the symbol tools' one contract; when VS Code has no answer (no language extension for the file, or its server
// has not loaded the project yet), the Node tool of the same name answers instead.

const MAX_DEFINITIONS = 8;
/** Files mentioning a name that are opened before asking for its references. */
const MAX_REFERENCE_FILES = 20;
const DEFINITION_LINES = 15;
/** Identifiers tried on a line given without a column. */
const MAX_TRIES = 6;

/** The editor's answer names no symbol in the workspace. */
const EMPTY = 'The language features of VS Code know none.';

type Impl = (args: JsonObject, ctx: ToolContext, policy: ReadPolicy, finder?: FileFinder) => Promise<ToolOutput | undefined>;

const IMPLS: Record<SymbolToolName, Impl> = { symbols, definition, references, outline };

/**
 * The VS Code symbol tools; each answers with the Node tool of its name (when there is one) when VS Code has none.
 * `protectedGlobs` are the user's (`llmCompiler.protectedFiles`), the same the Node tools are made with: a file they
 * or the built-in and project rules name is withheld from results and refused as a target, as the Node tools do.
 */
export function createVsCodeSymbolTools(nodeTools: ReadonlyMap<string, Tool> = new Map(), finder?: FileFinder, protectedGlobs: readonly string[] = []): Tool[] {
  return SYMBOL_TOOL_NAMES.map((name) => {
    const fallback = nodeTools.get(name);
    return {
      name,
      ...SYMBOL_TOOL_SPECS[name],
      ...(fallback?.timeoutMs !== undefined ? { timeoutMs: fallback.timeoutMs } : {}),
      async run(args, ctx) {
        // The language servers answer from their own state (unsaved edits included), which no stat can confirm.
        ctx.reads?.volatile();
        const output = await IMPLS[name](args, ctx, new ReadPolicy(protectedGlobs), finder);
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

/** A hit where a symbol's name is: its line, trimmed, as the text. */
async function hitAtName(
  abs: string,
  at: vscode.Position,
  reader: LineReader,
  symbol: { name?: string; kind?: string; container?: string } = {},
  length?: number,
): Promise<SymbolHit> {
  const text = (await reader.line(abs, at.line + 1)) ?? '';
  const name = symbol.name ?? wordAt(text, at.character);
  const size = length ?? name?.length ?? 0;
  return {
    abs,
    line: at.line + 1,
    column: at.character + 1,
    endLine: at.line + 1,
    endColumn: at.character + 1 + size,
    text: hitText(text),
    ...(name !== undefined ? { name } : {}),
    ...(symbol.kind !== undefined ? { kind: symbol.kind } : {}),
    ...(symbol.container ? { container: symbol.container } : {}),
  };
}

function fromEditor(s: EditorSymbolHit, reader: LineReader): Promise<SymbolHit> {
  return hitAtName(s.location.path, s.namePosition, reader, { name: bareName(s.name), kind: s.kind, container: s.container });
}

// ---------------------------------------------------------------------------------------------------------------

async function symbols(args: JsonObject, ctx: ToolContext, policy: ReadPolicy, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const query = stringArg(args, 'query').trim();
  const reader = new LineReader();
  const { hits: found, outside } = await findSymbols(query, ctx.roots, policy, ctx.signal, reader, undefined, finder);
  if (found.length === 0) return undefined;
  const q = query.toLowerCase();
  const rank = (h: EditorSymbolHit) => {
    const name = bareName(h.name);
    return name === query ? 0 : name.toLowerCase() === q ? 1 : name.toLowerCase().startsWith(q) ? 2 : 3;
  };
  // Equal ranks in file order, as the Node backend lists them.
  const sorted = [...found].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : a.namePosition.line - b.namePosition.line || a.namePosition.character - b.namePosition.character),
  );
  const hits = await Promise.all(sorted.slice(0, MAX_SYMBOLS).map((h) => fromEditor(h, reader)));
  return {
    ...symbolsText(hits, found.length, query, ctx.roots, ctx.maxChars, EMPTY, outsideNote(outside)),
    value: hits.map((h) => hitValue(h, ctx.roots)),
    locations: hits.map((h) => hitLocation(h, ctx.roots)),
  };
}

async function definition(args: JsonObject, ctx: ToolContext, policy: ReadPolicy, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const target = editorTarget(await parseTarget(stringArg(args, 'name_or_location'), ctx.roots, policy));
  const reader = new LineReader();
  // Each definition with the last line of its declaration, for the lines shown.
  const defs: Array<{ hit: SymbolHit; lastLine: number }> = [];
  let outside = 0;
  if (target.kind === 'name') {
    const found = await findSymbols(target.name, ctx.roots, policy, ctx.signal, reader, exactly(target), finder);
    outside = found.outside;
    for (const h of found.hits) defs.push({ hit: await fromEditor(h, reader), lastLine: h.location.endLine ?? h.location.line ?? 1 });
  } else {
    const { found } = await atLocation(target, reader, ctx.signal, (uri, pos) =>
      execute<Array<vscode.Location | vscode.LocationLink>>(ctx.signal, 'vscode.executeDefinitionProvider', uri, pos),
    );
    const declared = new Map<string, Promise<Map<string, { name: string; kind: string; container?: string }>>>();
    for (const d of found) {
      const uri = 'targetUri' in d ? d.targetUri : d.uri;
      const whole = 'targetUri' in d ? d.targetRange : d.range;
      const nameRange = 'targetUri' in d ? (d.targetSelectionRange ?? d.targetRange) : d.range;
      const abs = await inWorkspace(uri.fsPath, ctx.roots, policy);
      if (abs === undefined) {
        outside++;
        continue;
      }
      if (!declared.has(abs)) declared.set(abs, declarationsIn(uri, ctx.signal));
      const symbol = (await declared.get(abs)!).get(`${nameRange.start.line}:${nameRange.start.character}`);
      const length = nameRange.end.line === nameRange.start.line ? nameRange.end.character - nameRange.start.character : undefined;
      defs.push({ hit: await hitAtName(abs, nameRange.start, reader, symbol, length), lastLine: whole.end.line + 1 });
    }
  }
  if (defs.length === 0) {
    return outside > 0 ? { text: `The definition of ${describe(target)} is outside the workspace (${outside} found, e.g. in a library or the language runtime).` } : undefined;
  }
  const shown = defs.slice(0, MAX_DEFINITIONS);
  const bodies = new Map<SymbolHit, { lines: string[]; more: number }>();
  for (const { hit, lastLine } of shown) {
    const lines = (await reader.lines(hit.abs)) ?? [];
    const last = Math.min(lastLine, hit.line + DEFINITION_LINES - 1, lines.length);
    bodies.set(hit, { lines: lines.slice(hit.line - 1, Math.max(hit.line, last)), more: Math.max(0, lastLine - last) });
  }
  const hits = shown.map((d) => d.hit);
  const { text, truncated } = definitionText(hits, describe(target), ctx.roots, ctx.maxChars, EMPTY, { note: outsideNote(outside), body: (h) => bodies.get(h)! });
  return { text, value: hits.map((h) => hitValue(h, ctx.roots)), locations: hits.map((h) => hitLocation(h, ctx.roots)), truncated: truncated || defs.length > shown.length };
}

/** The declarations of a document by where their names start (`line:character`, 0-based). */
async function declarationsIn(uri: vscode.Uri, signal: AbortSignal): Promise<Map<string, { name: string; kind: string; container?: string }>> {
  const out = new Map<string, { name: string; kind: string; container?: string }>();
  for (const { info, nameAt } of await documentSymbols(uri, signal)) {
    if (!nameAt) continue;
    out.set(`${nameAt.line}:${nameAt.character}`, { name: bareName(info.name), kind: kindName(info.kind), ...(info.containerName ? { container: info.containerName } : {}) });
  }
  return out;
}

async function references(args: JsonObject, ctx: ToolContext, policy: ReadPolicy, finder?: FileFinder): Promise<ToolOutput | undefined> {
  const target = editorTarget(await parseTarget(stringArg(args, 'name_or_location'), ctx.roots, policy));
  const reader = new LineReader();
  const lookup = (uri: vscode.Uri, pos: vscode.Position) => execute<vscode.Location[]>(ctx.signal, 'vscode.executeReferenceProvider', uri, pos);
  // Language servers without a project file know only the files that are open: open those that mention the name.
  const mentions = async (word: string | undefined) =>
    finder && word ? (await readableFiles(await finder(word, ctx.roots, ctx.signal), ctx.roots, policy, MAX_REFERENCE_FILES)).map((f) => vscode.Uri.file(f)) : [];
  const lookupWithMentions = async (uri: vscode.Uri, pos: vscode.Position, word: string | undefined) =>
    askWhenReady([uri, ...(await mentions(word))], ctx.signal, async () => (await lookup(uri, pos)) ?? []);
  let refs: vscode.Location[] = [];
  const notes: string[] = [];
  // Where the symbol's declarations name it: the references there are marked as its definitions.
  const declarations = new Set<string>();
  if (target.kind === 'name') {
    const { hits } = await findSymbols(target.name, ctx.roots, policy, ctx.signal, reader, exactly(target), finder);
    for (const hit of hits.slice(0, MAX_DEFINITIONS)) {
      declarations.add(`${hit.location.path}:${hit.namePosition.line}:${hit.namePosition.character}`);
      refs.push(...(await lookupWithMentions(hit.uri, hit.namePosition, bareName(hit.name))));
    }
    if (hits[0]) notes.push(`(defined at ${displayPath(hits[0].location.path, ctx.roots)}:${hits[0].namePosition.line + 1})`);
  } else {
    const text = (await reader.line(target.abs, target.line)) ?? '';
    const answered = await atLocation(target, reader, ctx.signal, (uri, pos) => lookupWithMentions(uri, pos, wordAt(text, pos.character)));
    refs = answered.found;
    if (answered.at) {
      const defs = (await execute<Array<vscode.Location | vscode.LocationLink>>(ctx.signal, 'vscode.executeDefinitionProvider', target.uri, answered.at)) ?? [];
      for (const d of defs) {
        const uri = 'targetUri' in d ? d.targetUri : d.uri;
        const range = 'targetUri' in d ? (d.targetSelectionRange ?? d.targetRange) : d.range;
        const abs = await inWorkspace(uri.fsPath, ctx.roots, policy);
        if (abs !== undefined) declarations.add(`${abs}:${range.start.line}:${range.start.character}`);
      }
    }
  }
  const inside: Array<{ abs: string; range: vscode.Range }> = [];
  const seen = new Set<string>();
  let outside = 0;
  for (const r of refs) {
    const abs = await inWorkspace(r.uri.fsPath, ctx.roots, policy);
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
  inside.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  const shown = inside.slice(0, MAX_REFERENCES);
  const hits: SymbolHit[] = [];
  for (const r of shown) {
    const text = (await reader.line(r.abs, r.range.start.line + 1)) ?? '';
    hits.push({
      abs: r.abs,
      line: r.range.start.line + 1,
      column: r.range.start.character + 1,
      endLine: r.range.end.line + 1,
      endColumn: r.range.end.character + 1,
      text: hitText(text),
      isDefinition: declarations.has(`${r.abs}:${r.range.start.line}:${r.range.start.character}`),
    });
  }
  if (outside > 0) notes.push(`(${outside} more outside the workspace not shown)`);
  const { text, truncated } = referencesText(hits, describe(target), ctx.roots, ctx.maxChars, EMPTY, notes);
  return { text, value: hits.map((h) => hitValue(h, ctx.roots)), locations: hits.map((h) => hitLocation(h, ctx.roots)), truncated: truncated || inside.length > shown.length };
}

async function outline(args: JsonObject, ctx: ToolContext, policy: ReadPolicy): Promise<ToolOutput | undefined> {
  const file = await openableFile(stringArg(args, 'path'), ctx, policy, 'outline needs a file');
  const uri = vscode.Uri.file(file.abs);
  const found = await askWhenReady([uri], ctx.signal, () =>
    vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>('vscode.executeDocumentSymbolProvider', uri),
  );
  if (found.length === 0) return undefined;
  const entries: OutlineEntry[] = [];
  const walk = (symbols: readonly vscode.DocumentSymbol[], depth: number) => {
    for (const s of [...symbols].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)) {
      entries.push({ name: s.name, kind: kindName(s.kind), line: s.range.start.line + 1, endLine: s.range.end.line + 1, depth });
      walk(s.children ?? [], depth + 1);
    }
  };
  if ('children' in found[0]!) {
    walk(found as vscode.DocumentSymbol[], 0);
  } else {
    for (const s of found as vscode.SymbolInformation[]) {
      entries.push({ name: s.name, kind: kindName(s.kind), line: s.location.range.start.line + 1, endLine: s.location.range.end.line + 1, depth: s.containerName ? 1 : 0 });
    }
    entries.sort((a, b) => a.line - b.line);
  }
  const lines = await new LineReader().lines(file.abs);
  // As editors count lines: a final newline does not start another one.
  const lineCount = lines === undefined ? undefined : lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  return {
    ...outlineText(file.display, lineCount, entries, ctx.maxChars),
    value: outlineValue(entries),
    locations: [fileLocation(file.abs, ctx.roots)],
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Runs a position lookup at `path:line:col`, or at each identifier of the line in turn until one answers. */
async function atLocation<T>(
  target: Extract<EditorSymbolTarget, { kind: 'location' }>,
  reader: LineReader,
  signal: AbortSignal,
  lookup: (uri: vscode.Uri, pos: vscode.Position) => Promise<T[] | undefined>,
): Promise<{ found: T[]; at?: vscode.Position }> {
  const text = await reader.line(target.abs, target.line);
  if (text === undefined) throw new CompilerError('invalid-args', `${target.display}:${target.line} is past the end of the file.`);
  const columns = target.column !== undefined ? [target.column - 1] : identifierColumns(text).slice(0, MAX_TRIES);
  for (const [i, column] of columns.entries()) {
    const at = new vscode.Position(target.line - 1, column);
    // The first ask opens the file and waits for its language; the others find it ready.
    const found = i === 0 ? await askWhenReady([target.uri], signal, async () => (await lookup(target.uri, at)) ?? []) : ((await lookup(target.uri, at)) ?? []);
    if (signal.aborted) break;
    if (found.length > 0) return { found, at };
  }
  return { found: [] };
}

function describe(target: SymbolTarget): string {
  if (target.kind === 'location') return `the symbol at ${target.display}:${target.line}`;
  return `"${target.container ? `${target.container}.` : ''}${target.name}"`;
}

function outsideNote(outside: number): string {
  return outside > 0 ? `; ${outside} more outside the workspace not shown` : '';
}
