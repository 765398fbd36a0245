import * as path from 'node:path';
import type * as TS from 'typescript';
import { CompilerError } from '../../base/errors';
import { hitText, parseTargetText } from './symbolContract';
import type { SymbolHit } from './symbolContract';
import type { ReadPolicy } from '../paths/readPolicy';
import { isTsFile } from './tsFiles';
import { resolveWorkspacePath } from '../paths/workspacePath';

const LANGUAGES: Record<string, string> = {
  '.py': 'Python', '.go': 'Go', '.rs': 'Rust', '.java': 'Java', '.kt': 'Kotlin', '.cs': 'C#', '.c': 'C', '.h': 'C',
  '.cc': 'C++', '.cpp': 'C++', '.hpp': 'C++', '.rb': 'Ruby', '.php': 'PHP', '.swift': 'Swift', '.scala': 'Scala',
  '.vue': 'Vue', '.svelte': 'Svelte', '.json': 'JSON', '.md': 'Markdown', '.css': 'CSS', '.html': 'HTML',
};

/** The note every symbol tool gives when it finds nothing, so an empty result is not mistaken for absence. */
export const COVERAGE_NOTE =
  'The symbol tools cover TypeScript and JavaScript files only; for other languages use grep. ' +
  'Within them, uses the TypeScript language service cannot type are not followed either (see grep).';

/** For a symbol whose declarations were found but whose uses the language service cannot follow. */
export const DECLARATIONS_ONLY_NOTE =
  'Only declarations were found: the TypeScript language service follows uses through values it can type, not ' +
  'through objects built at run time (Object.create, mixins, CommonJS exports of those) or typed by packages in ' +
  'node_modules (not read); grep finds such uses by text.';

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

/** Reads `name_or_location` in the contract's grammar, resolving a location's path in the workspace. */
export async function parseTarget(input: string, roots: readonly string[], tool: string, policy?: ReadPolicy): Promise<SymbolTarget> {
  const parsed = parseTargetText(input);
  if (parsed.kind === 'name') return parsed;
  const target = await resolveWorkspacePath(parsed.path, roots);
  policy?.check(target.root, target.rel, target.display);
  if (!isTsFile(target.abs)) throw unsupportedFile(target.display, tool);
  return { kind: 'location', abs: target.abs, display: target.display, line: parsed.line, column: parsed.column };
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
    text: hitText(lineText(sf, start.line + 1)),
    ...extra,
  };
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

/** Whether a file is one of TypeScript's standard library files, read for types only and never a result. */
export function isLibraryFile(service: TS.LanguageService, fileName: string): boolean {
  const program = service.getProgram();
  const sf = program?.getSourceFile(fileName);
  return sf !== undefined && program!.isSourceFileDefaultLibrary(sf);
}

/** The innermost node that spans exactly `start`..`end`, if any. */
export function nodeSpanning(sf: TS.SourceFile, start: number, end: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  let node: TS.Node = sf;
  for (;;) {
    const child = node.forEachChild((c) => (c.getStart(sf) <= start && c.end >= end ? c : undefined));
    if (!child) return found;
    if (child.getStart(sf) === start && child.end === end) found = child;
    node = child;
  }
}

/** `a.b.c` of an expression made of names and property accesses; undefined for anything else. */
function entityText(ts: typeof TS, node: TS.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    const left = entityText(ts, node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  return undefined;
}

/**
 * The object a declaration is assigned to, as CommonJS code declares its exports and methods: `res` for
 * `res.send = function send() {}` (and for that function), `exports` for `exports.json = …`, `Router.prototype` for
 * `Router.prototype.route = …`. TypeScript lists such declarations without a container; this is the one they are
 * written with.
 */
export function assignedContainer(ts: typeof TS, service: TS.LanguageService, item: TS.NavigateToItem): string | undefined {
  const sf = service.getProgram()?.getSourceFile(item.fileName);
  if (!sf) return undefined;
  let node = nodeSpanning(sf, item.textSpan.start, item.textSpan.start + item.textSpan.length);
  if (node && (ts.isFunctionExpression(node) || ts.isClassExpression(node) || ts.isArrowFunction(node))) {
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    node = ts.isBinaryExpression(node.parent) && node.parent.right === node ? node.parent : undefined;
  }
  if (!node || !ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = node.left;
  if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined;
  const text = entityText(ts, left.expression);
  return text !== undefined && text.length <= 200 ? text : undefined;
}

/**
 * What an unnamed declaration assigns to, as written: `module.exports` for `module.exports = res`,
 * `exports = module.exports` for `exports = module.exports = createApplication`. TypeScript calls it `<unknown>`.
 */
export function assignmentTarget(ts: typeof TS, sf: TS.SourceFile, span: TS.TextSpan): string | undefined {
  let node = nodeSpanning(sf, span.start, span.start + span.length);
  const targets: string[] = [];
  while (node && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const text = entityText(ts, node.left);
    if (text === undefined) return undefined;
    targets.push(text);
    node = node.right;
  }
  const name = targets.join(' = ');
  return name && name.length <= 200 ? name : undefined;
}

/** Whether `Container.name` names a declaration: by its container as TypeScript reports it, or as it is assigned. */
function inContainer(ts: typeof TS, service: TS.LanguageService, item: TS.NavigateToItem, container: string): boolean {
  if (item.containerName === container) return true;
  if (item.containerName) return false;
  const parts = assignedContainer(ts, service, item)?.split('.') ?? [];
  const last = parts[parts.length - 1];
  // `Router.prototype.route` is asked for as `Router.route` or as `prototype.route`.
  return last === container || (last === 'prototype' && parts[parts.length - 2] === container);
}

/** A navigation item's container: TypeScript's, or for a JavaScript assignment the object assigned to. */
export function containerOf(ts: typeof TS, service: TS.LanguageService, item: TS.NavigateToItem): string {
  return item.containerName || (assignedContainer(ts, service, item) ?? '');
}

/** A text every file declaring `name` contains: the name as a whole word. */
export function wordPattern(name: string): RegExp {
  const escaped = name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_$])${escaped}(?![\\p{L}\\p{N}_$])`, 'u');
}

/**
 * Navigate-to's items for `query` in the program's files whose text matches `mention` (a text every file declaring a
 * match contains), standard library aside. The same items as asking the whole program, without computing every
 * file's declarations for a name a few files mention.
 */
export function navigateTo(service: TS.LanguageService, query: string, mention: RegExp, max: number): TS.NavigateToItem[] {
  const program = service.getProgram();
  if (!program) return [];
  const items: TS.NavigateToItem[] = [];
  for (const sf of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(sf) || !mention.test(sf.text)) continue;
    items.push(...service.getNavigateToItems(query, max, sf.fileName));
  }
  return items;
}

/** Declarations named exactly `name` (inside `container` when given), in file order. */
export function declarationsNamed(ts: typeof TS, service: TS.LanguageService, name: string, container?: string): TS.NavigateToItem[] {
  return navigateTo(service, name, wordPattern(name), 500)
    .filter((item) => item.name === name && (container === undefined || inContainer(ts, service, item, container)))
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
