import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { raceAbort } from '../../base/abortable';
import type { FileLocation } from '../../shared/toolContract';
import { bareName, kindFromEditor } from '../../tools/symbols/symbolContract';
import type { SymbolTarget } from '../../tools/symbols/symbolContract';
import { fileLocation } from '../../tools/paths/workspacePath';
import { readableFile } from '../../tools/paths/readPolicy';
import type { ReadPolicy } from '../../tools/paths/readPolicy';
import { askWhenReady } from './languageReady';

/** A symbol as the editor's language features report it, confined to the workspace. */
export interface EditorSymbolHit {
  name: string;
  kind: string;
  container?: string;
  location: FileLocation;
  /** Where the name itself is, for definition and reference lookups. */
  uri: vscode.Uri;
  namePosition: vscode.Position;
}

/** A target as the editor asks about it: a place in a file also as the editor's URI. */
export type EditorSymbolTarget = Extract<SymbolTarget, { kind: 'name' }> | (Extract<SymbolTarget, { kind: 'location' }> & { uri: vscode.Uri });

export function editorTarget(target: SymbolTarget): EditorSymbolTarget {
  return target.kind === 'name' ? target : { ...target, uri: vscode.Uri.file(target.abs) };
}

export function kindName(kind: vscode.SymbolKind): string {
  return kindFromEditor(vscode.SymbolKind[kind]);
}

/**
 * Maps a VS Code file path onto the workspace roots (which are realpaths); undefined outside them (once links are
 * followed) and for protected files, which the tools never show.
 */
export function inWorkspace(fsPath: string, roots: readonly string[], policy: ReadPolicy): Promise<string | undefined> {
  return readableFile(fsPath, roots, policy);
}

/** The first `limit` of `files` the tools may show (a protected file is not even opened in the editor). */
export async function readableFiles(files: readonly string[], roots: readonly string[], policy: ReadPolicy, limit: number): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    if (out.length >= limit) break;
    const abs = await inWorkspace(file, roots, policy);
    if (abs !== undefined) out.push(abs);
  }
  return out;
}

export function toFileLocation(abs: string, range: vscode.Range, roots: readonly string[]): FileLocation {
  return fileLocation(abs, roots, {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
}

/** Lines of workspace files, read once per tool call. */
export class LineReader {
  private readonly files = new Map<string, Promise<string[] | undefined>>();

  lines(abs: string): Promise<string[] | undefined> {
    let lines = this.files.get(abs);
    if (!lines) {
      // Only regular files: reading a named pipe would hold a libuv thread until a writer comes.
      lines = fs
        .stat(abs)
        .then((stat) => (stat.isFile() ? fs.readFile(abs, 'utf8') : undefined))
        .then((t) => t?.split(/\r?\n/), () => undefined);
      this.files.set(abs, lines);
    }
    return lines;
  }

  async line(abs: string, line: number): Promise<string | undefined> {
    return (await this.lines(abs))?.[line - 1];
  }
}

/** Where `name` starts in the line of `range.start` (symbol ranges often begin at a modifier or a decorator). */
export async function namePosition(reader: LineReader, abs: string, range: vscode.Range, name: string): Promise<vscode.Position> {
  const lines = await reader.lines(abs);
  for (let l = range.start.line; l <= Math.min(range.end.line, range.start.line + 20); l++) {
    const text = lines?.[l];
    if (text === undefined) break;
    const from = l === range.start.line ? range.start.character : 0;
    const at = wordIndex(text, name, from);
    if (at >= 0) return new vscode.Position(l, at);
  }
  return range.start;
}

function wordIndex(text: string, word: string, from: number): number {
  for (let at = text.indexOf(word, from); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if (!(before && /[\w$]/.test(before)) && !(after && /[\w$]/.test(after))) return at;
  }
  return -1;
}

/** Finds the files whose text mentions a word (the workspace search, with its excludes). Absolute paths. */
export type FileFinder = (word: string, roots: readonly string[], signal: AbortSignal) => Promise<string[]>;

/** Files mentioning a name that are opened to wake their language servers, at most. */
const MAX_CANDIDATES = 5;

/** A symbol with where its name is, when the provider says so (document symbols do). */
export interface FoundSymbol {
  info: vscode.SymbolInformation;
  nameAt?: vscode.Position;
}

function workspaceSymbols(query: string, signal: AbortSignal): Promise<vscode.SymbolInformation[]> {
  return raceAbort(
    Promise.resolve(vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query)),
    signal,
  ).then((found) => found ?? []);
}

/** The symbols of one document, flattened, each with its container's name. */
export async function documentSymbols(uri: vscode.Uri, signal: AbortSignal): Promise<FoundSymbol[]> {
  const found = await askWhenReady([uri], signal, () =>
    vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>('vscode.executeDocumentSymbolProvider', uri),
  );
  const out: FoundSymbol[] = [];
  const walk = (symbols: readonly vscode.DocumentSymbol[], container: string) => {
    for (const d of symbols) {
      out.push({ info: new vscode.SymbolInformation(d.name, d.kind, container, new vscode.Location(uri, d.range)), nameAt: d.selectionRange.start });
      walk(d.children ?? [], d.name);
    }
  };
  for (const s of found) {
    if (s instanceof vscode.SymbolInformation) out.push({ info: s });
    else walk([s], '');
  }
  return out;
}

/**
 * Symbols matching `query` (and `match`): from the workspace symbol index; when it knows none (a language server
 * loads a project only once one of its files is open), the files that mention the name are opened and the index
 * asked again, and then those files' own symbols are searched.
 */
export async function findSymbols(
  query: string,
  roots: readonly string[],
  policy: ReadPolicy,
  signal: AbortSignal,
  reader: LineReader,
  match: (s: vscode.SymbolInformation) => boolean = () => true,
  finder?: FileFinder,
): Promise<{ hits: EditorSymbolHit[]; outside: number }> {
  let found = await toHits((await workspaceSymbols(query, signal)).filter(match).map((info) => ({ info })), roots, policy, reader);
  if (found.hits.length > 0 || !finder) return found;
  const word = bareName(query).split(/\W+/).filter(Boolean).pop() ?? query;
  const uris = (await readableFiles(await finder(word, roots, signal), roots, policy, MAX_CANDIDATES)).map((f) => vscode.Uri.file(f));
  if (uris.length === 0) return found;
  const indexed = await askWhenReady(uris, signal, () => workspaceSymbols(query, signal).then((all) => all.filter(match)));
  found = await toHits(indexed.map((info) => ({ info })), roots, policy, reader);
  if (found.hits.length > 0) return found;
  const inFiles: FoundSymbol[] = [];
  for (const uri of uris) inFiles.push(...(await documentSymbols(uri, signal)).filter((s) => match(s.info)));
  return toHits(inFiles, roots, policy, reader);
}

async function toHits(found: readonly FoundSymbol[], roots: readonly string[], policy: ReadPolicy, reader: LineReader): Promise<{ hits: EditorSymbolHit[]; outside: number }> {
  const hits: EditorSymbolHit[] = [];
  let outside = 0;
  const seen = new Set<string>();
  for (const { info: s, nameAt } of found) {
    const abs = await inWorkspace(s.location.uri.fsPath, roots, policy);
    if (abs === undefined) {
      outside++;
      continue;
    }
    const key = `${abs}:${s.location.range.start.line}:${s.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const container = s.containerName || undefined;
    hits.push({
      name: s.name,
      kind: kindName(s.kind),
      ...(container ? { container } : {}),
      location: toFileLocation(abs, s.location.range, roots),
      uri: s.location.uri,
      namePosition: nameAt ?? (await namePosition(reader, abs, s.location.range, bareName(s.name))),
    });
  }
  return { hits, outside };
}

/** Exact name matches, with the container when one was asked for. */
export function exactly(target: Extract<EditorSymbolTarget, { kind: 'name' }>): (s: vscode.SymbolInformation) => boolean {
  return (s) =>
    bareName(s.name) === target.name &&
    (!target.container || (s.containerName ?? '').split(/\.|::/).pop() === target.container);
}
