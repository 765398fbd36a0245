import * as path from 'node:path';
import type * as TS from 'typescript';
import { CompilerError } from '../../base/errors';
import type { FileLocation, JsonObject } from '../../shared/types';
import { clipLine } from '../textBudget';
import { isTsFile } from './tsFiles';
import { displayPath, fileLocation, resolveWorkspacePath } from '../files/workspacePath';

const LANGUAGES: Record<string, string> = {
  '.py': 'Python', '.go': 'Go', '.rs': 'Rust', '.java': 'Java', '.kt': 'Kotlin', '.cs': 'C#', '.c': 'C', '.h': 'C',
  '.cc': 'C++', '.cpp': 'C++', '.hpp': 'C++', '.rb': 'Ruby', '.php': 'PHP', '.swift': 'Swift', '.scala': 'Scala',
  '.vue': 'Vue', '.svelte': 'Svelte', '.json': 'JSON', '.md': 'Markdown', '.css': 'CSS', '.html': 'HTML',
};

/** The note every symbol tool gives when it finds nothing, so an empty result is not mistaken for absence. */
export const COVERAGE_NOTE =
  'The symbol tools cover TypeScript and JavaScript files only; for other languages use grep. ' +
  'Within them, uses the TypeScript language service cannot type are not followed either (see grep).';

/**
 * For a place in a TypeScript or JavaScript file that yields nothing: the file's language is covered, what the
 * language service cannot follow is the cause.
 */
export const UNRESOLVED_NOTE =
  'The TypeScript language service follows only what it can type: uses through CommonJS objects (module.exports, ' +
  'require) it cannot resolve, or through values typed by packages in node_modules (not read), are not found; grep ' +
  'finds them by text.';

/** `unsupported` for a file in a language the TypeScript service cannot read. */
export function unsupportedFile(display: string, tool: string): CompilerError {
  const ext = path.extname(display).toLowerCase();
  const language = LANGUAGES[ext] ?? (ext ? `"${ext}"` : 'extension-less');
  return new CompilerError(
    'unsupported',
    `${tool} does not cover ${language} files (${display}): only TypeScript and JavaScript are supported. Use grep instead.`,
  );
}

export type SymbolTarget =
  | { kind: 'name'; name: string; container?: string }
  | { kind: 'location'; abs: string; display: string; line: number; column?: number };

const NAME = /^[A-Za-z_$#][\w$]*(?:\.[A-Za-z_$#][\w$]*)*$/;
const LOCATION = /^(.+?):(\d+)(?::(\d+))?$/;

/** Reads `name_or_location`: a symbol name (optionally `Container.name`) or `path:line[:column]`. */
export async function parseTarget(input: string, roots: readonly string[], tool: string): Promise<SymbolTarget> {
  const text = input.trim();
  const loc = LOCATION.exec(text);
  if (loc) {
    const target = await resolveWorkspacePath(loc[1], roots);
    if (!isTsFile(target.abs)) throw unsupportedFile(target.display, tool);
    const line = Number(loc[2]);
    const column = loc[3] ? Number(loc[3]) : undefined;
    if (line < 1 || column === 0) throw new CompilerError('invalid-args', 'Lines and columns are 1-based.');
    return { kind: 'location', abs: target.abs, display: target.display, line, column };
  }
  if (NAME.test(text)) {
    const parts = text.split('.');
    const name = parts.pop()!;
    return { kind: 'name', name, ...(parts.length ? { container: parts[parts.length - 1] } : {}) };
  }
  throw new CompilerError('invalid-args', `"${input}" is neither a symbol name nor path:line[:column].`);
}

/** TypeScript spells file names with `/`. */
export function tsFileName(abs: string): string {
  return path.sep === '/' ? abs : abs.split(path.sep).join('/');
}

export function fromTsFileName(name: string): string {
  return path.normalize(name);
}

export function sourceFile(service: TS.LanguageService, abs: string): TS.SourceFile {
  const sf = service.getProgram()?.getSourceFile(tsFileName(abs));
  if (!sf) throw new CompilerError('not-found', `${abs} is not part of the TypeScript project.`);
  return sf;
}

/** Lines as editors count them: a final newline does not start another line. */
export function lineCount(sf: TS.SourceFile): number {
  const starts = sf.getLineStarts();
  return starts.length > 1 && starts[starts.length - 1] === sf.text.length ? starts.length - 1 : starts.length;
}

/** The text of a 1-based line. */
export function lineText(sf: TS.SourceFile, line: number): string {
  const starts = sf.getLineStarts();
  const start = starts[line - 1] ?? sf.text.length;
  const end = line < starts.length ? starts[line] : sf.text.length;
  return sf.text.slice(start, end).replace(/\r?\n$/, '');
}

/** A found symbol or reference, ready for text, value and locations. */
export interface SymbolHit {
  abs: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  name?: string;
  kind?: string;
  container?: string;
  text: string;
  isDefinition?: boolean;
}

export function hitAt(
  ts: typeof TS,
  service: TS.LanguageService,
  fileName: string,
  span: TS.TextSpan,
  extra: Partial<SymbolHit> = {},
): SymbolHit | undefined {
  const sf = service.getProgram()?.getSourceFile(fileName);
  if (!sf) return undefined;
  const start = ts.getLineAndCharacterOfPosition(sf, span.start);
  const end = ts.getLineAndCharacterOfPosition(sf, span.start + span.length);
  // A module's container is its quoted absolute path: noise in results that already name the file.
  if (extra.container?.startsWith('"')) extra = { ...extra, container: undefined };
  return {
    abs: fromTsFileName(fileName),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    text: clipLine(lineText(sf, start.line + 1).trim(), 1, 200),
    ...extra,
  };
}

export function hitLocation(hit: SymbolHit, roots: readonly string[]): FileLocation {
  return fileLocation(hit.abs, roots, { line: hit.line, column: hit.column, endLine: hit.endLine, endColumn: hit.endColumn });
}

export function hitValue(hit: SymbolHit, roots: readonly string[]): JsonObject {
  const value: JsonObject = { path: displayPath(hit.abs, roots), line: hit.line, column: hit.column, text: hit.text };
  if (hit.name !== undefined) value.name = hit.name;
  if (hit.kind !== undefined) value.kind = hit.kind;
  if (hit.container) value.container = hit.container;
  if (hit.isDefinition !== undefined) value.isDefinition = hit.isDefinition;
  return value;
}

/** Positions of the identifiers that start on a 1-based line, left to right. */
export function identifiersOnLine(ts: typeof TS, sf: TS.SourceFile, line: number): number[] {
  const starts = sf.getLineStarts();
  if (line > starts.length) throw new CompilerError('invalid-args', `Line ${line} is past the end of the file (${starts.length} lines).`);
  const from = starts[line - 1];
  const to = line < starts.length ? starts[line] : sf.text.length;
  const found: number[] = [];
  const visit = (node: TS.Node): void => {
    const start = node.getStart(sf);
    if (node.end < from || start >= to) return;
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && start >= from) found.push(start);
    node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found.sort((a, b) => a - b);
}

/** The offset of a 1-based line and column, the column clamped to the line. */
export function positionOf(ts: typeof TS, sf: TS.SourceFile, line: number, column: number): number {
  const starts = sf.getLineStarts();
  if (line > starts.length) throw new CompilerError('invalid-args', `Line ${line} is past the end of the file (${starts.length} lines).`);
  const length = lineText(sf, line).length;
  return ts.getPositionOfLineAndCharacter(sf, line - 1, Math.min(column - 1, length));
}

/** Declarations named exactly `name` (inside `container` when given), in file order. */
/** Whether a file is one of TypeScript's standard library files, read for types only and never a result. */
export function isLibraryFile(service: TS.LanguageService, fileName: string): boolean {
  const program = service.getProgram();
  const sf = program?.getSourceFile(fileName);
  return sf !== undefined && program!.isSourceFileDefaultLibrary(sf);
}

export function declarationsNamed(service: TS.LanguageService, name: string, container?: string): TS.NavigateToItem[] {
  return service
    .getNavigateToItems(name, 500)
    .filter((item) => !isLibraryFile(service, item.fileName))
    .filter((item) => item.name === name && (container === undefined || item.containerName === container))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : a.textSpan.start - b.textSpan.start));
}

/**
 * The span of a declaration's name. Navigation items span the whole declaration (`export function add…`); a
 * location should point at `add`, and finding references needs a position on the name.
 */
export function nameSpan(service: TS.LanguageService, item: TS.NavigateToItem): TS.TextSpan {
  const text = service.getProgram()?.getSourceFile(item.fileName)?.text;
  if (!text || !item.name) return item.textSpan;
  const escaped = item.name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const re = new RegExp(`(?<![\\w$#])${escaped}(?![\\w$])`, 'g');
  re.lastIndex = item.textSpan.start;
  const m = re.exec(text);
  if (!m || m.index >= item.textSpan.start + item.textSpan.length) return item.textSpan;
  return { start: m.index, length: item.name.length };
}
