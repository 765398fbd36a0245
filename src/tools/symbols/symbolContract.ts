// The symbol tools' one contract, whichever backend answers (TypeScript's language service in plain Node, the
// editor's language servers in VS Code): their names, descriptions and parameters, the grammar of their targets,
// the shape of their values and the text they write.
import { CompilerError } from '../../base/errors';
import type { FileLocation, ToolParam } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { displayPath, fileLocation } from '../paths/workspacePath';
import { TextBudget, clipLine } from '../textBudget';

/** Results listed by `symbols`. */
export const MAX_SYMBOLS = 50;
/** References listed by `references`. */
export const MAX_REFERENCES = 500;

const TARGET_PARAM: ToolParam = {
  name: 'name_or_location',
  schema: { type: 'string', minLength: 1 },
  description: 'Symbol name ("parseConfig", "ClassName.method"), or path:line[:column] of a use.',
};

export const SYMBOL_TOOL_SPECS = {
  symbols: {
    description:
      'symbols(query) finds declarations (functions, classes, interfaces, types, methods, variables, …) whose name ' +
      'matches query, exact names first, then prefixes, substrings and abbreviations. Each result shows kind, name, ' +
      'container and "path:line". The value is a list of {name, kind, container, path, line, column, text}. Use it ' +
      'to locate a definition when you know (part of) its name.',
    params: [{ name: 'query', schema: { type: 'string', minLength: 1 }, description: 'Symbol name or part of it.' }],
  },
  definition: {
    description:
      'definition(name_or_location) finds where a symbol is declared. Give a name ("parseConfig", or ' +
      '"ClassName.method") or a use site "path:line[:column]" (also "path#L12"; with only a line, the identifiers ' +
      'on that line are resolved). Returns each declaration as kind, name, "path:line" and its first lines; the value ' +
      'is a list of {name, kind, container, path, line, column, text}. Follow with read_file for the full body.',
    params: [TARGET_PARAM],
  },
  references: {
    description:
      'references(name_or_location) finds every reference to a symbol (its declaration, uses, imports, writes), ' +
      'resolved by the language service, not by text: by name ("parseConfig", "ClassName.method") or for the ' +
      'identifier at "path:line[:column]" (with only a line, the first one). Results are grouped by file as ' +
      '"line:column: text", declarations marked; the value is a list of {path, line, column, text, isDefinition}. ' +
      'Use it to see who calls or uses something.',
    params: [TARGET_PARAM],
  },
  outline: {
    description:
      'outline(path) lists the declarations of one file (classes, interfaces, types, functions, methods, properties, ' +
      'top-level variables, CommonJS exports and aliases such as res.set = res.header = function…), nested as in the ' +
      'code, each with its line range; each overload signature is its own entry. The value is a list of {name, kind, ' +
      'line, endLine, depth} (container: the object an assignment declares on). Use it to see a file\'s shape before ' +
      'reading parts of it.',
    params: [{ name: 'path', schema: { type: 'string', minLength: 1 }, description: 'File relative to the workspace root.' }],
  },
} satisfies Record<string, { description: string; params: ToolParam[] }>;

export type SymbolToolName = keyof typeof SYMBOL_TOOL_SPECS;
export const SYMBOL_TOOL_NAMES = Object.keys(SYMBOL_TOOL_SPECS) as SymbolToolName[];

// ---------------------------------------------------------------------------------------------------------------
// Targets

/** What `name_or_location` names, before its path is resolved: a symbol, or a place in a file. */
export type TargetText = { kind: 'name'; name: string; container?: string } | { kind: 'location'; path: string; line: number; column?: number };

const NAME_PART = /^#?[\p{L}_$][\p{L}\p{N}_$]*$/u;
/**
 * A citation's forms after any path: the path is taken as written (absolute, with `..` or spaces) so that the
 * workspace's confinement, not this grammar, decides whether it may be read.
 */
const LOCATION = /^(.+?)(?::(\d+)(?::(\d+))?(?:[-–]\d+)?|#L(\d+)(?:-L?\d+)?)$/;

/**
 * Reads `name_or_location`. A location is a citation: `path:line`, `path:line:column`, `path:12-14`, `path#L12`
 * (a range stands for its first line). A name is `name` or `Container.name` (`::` too, a trailing `()` ignored);
 * the container is the part right before the name, as language services report containers.
 */
export function parseTargetText(input: string): TargetText {
  const text = input.trim();
  const loc = LOCATION.exec(text);
  if (loc) {
    const line = Number(loc[2] ?? loc[4]);
    const column = loc[3] !== undefined ? Number(loc[3]) : undefined;
    if (line < 1 || column === 0) throw new CompilerError('invalid-args', 'Lines and columns are 1-based.');
    return { kind: 'location', path: loc[1]!, line, ...(column !== undefined ? { column } : {}) };
  }
  const parts = text.replace(/\(\)$/, '').split(/\.|::/);
  if (parts.length > 0 && parts.every((p) => NAME_PART.test(p))) {
    const name = parts.pop()!;
    return { kind: 'name', name, ...(parts.length > 0 ? { container: parts[parts.length - 1] } : {}) };
  }
  throw new CompilerError('invalid-args', `"${input}" is neither a symbol name nor path:line[:column].`);
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/**
 * The project that answered, where a workspace has several (TypeScript backend): a `tsconfig.json` or
 * `jsconfig.json`, or the files of a folder that no config takes.
 */
export interface SymbolProject {
  config?: string;
  root: string;
}

/** A project as results name it: its config file's workspace path, or `folder (no tsconfig.json)`. */
export function projectName(project: SymbolProject, roots: readonly string[]): string {
  if (project.config) return displayPath(project.config, roots);
  return `${roots.length > 1 ? `${displayPath(project.root, roots)} ` : ''}(files in no tsconfig.json)`;
}

/** ` (project a/tsconfig.json)` after a result's first line, naming the projects that answered. */
export function projectsNote(projects: readonly SymbolProject[], roots: readonly string[]): string {
  if (projects.length === 0) return '';
  return ` (${projects.length === 1 ? 'project' : 'projects'} ${projects.map((p) => projectName(p, roots)).join(', ')})`;
}

/** A found declaration or reference, as every backend reports it. Lines and columns are 1-based. */
export interface SymbolHit {
  abs: string;
  /** Where the name starts and ends. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  name?: string;
  kind?: string;
  container?: string;
  /** The line of the name, trimmed and clipped (`hitText`). */
  text: string;
  isDefinition?: boolean;
  project?: SymbolProject;
}

/** The `text` of a hit from its whole source line. */
export function hitText(line: string): string {
  return clipLine(line.trim(), 1, 200);
}

export function hitLocation(hit: SymbolHit, roots: readonly string[]): FileLocation {
  return fileLocation(hit.abs, roots, { line: hit.line, column: hit.column, endLine: hit.endLine, endColumn: hit.endColumn });
}

export function hitValue(hit: SymbolHit, roots: readonly string[]): JsonObject {
  const value: JsonObject = { path: displayPath(hit.abs, roots), line: hit.line, column: hit.column, text: hit.text };
  if (hit.name !== undefined) value.name = hit.name;
  if (hit.kind !== undefined) value.kind = hit.kind;
  // A module's container is its quoted path: noise in a result that already names the file.
  if (hit.container && !hit.container.startsWith('"')) value.container = hit.container;
  if (hit.isDefinition !== undefined) value.isDefinition = hit.isDefinition;
  if (hit.project) value.project = projectName(hit.project, roots);
  return value;
}

/** One entry of an outline. */
export interface OutlineEntry {
  name: string;
  kind: string;
  /** Shown before the kind in the text (`export`, `static`, …), not part of the value. */
  modifiers?: string;
  line: number;
  endLine: number;
  depth: number;
  /** For a declaration by assignment (`res.set = …`), the object assigned to. */
  container?: string;
}

/**
 * Kinds in TypeScript's words. The editor's symbol kinds (`vscode.SymbolKind` names) are mapped onto them where
 * TypeScript has one; the others are their own name in lower case.
 */
const EDITOR_KINDS: Record<string, string> = {
  Namespace: 'module',
  Package: 'module',
  Field: 'property',
  Variable: 'var',
  Constant: 'const',
  EnumMember: 'enum member',
  TypeParameter: 'type parameter',
};

export function kindFromEditor(symbolKindName: string | undefined): string {
  if (!symbolKindName) return 'symbol';
  return EDITOR_KINDS[symbolKindName] ?? symbolKindName.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** The note of a search that found nothing, so an empty result is not mistaken for absence. */
export type EmptyNote = string;

function where(hit: SymbolHit, roots: readonly string[]): string {
  return `${displayPath(hit.abs, roots)}:${hit.line}`;
}

function named(hit: SymbolHit): string {
  const container = hit.container && !hit.container.startsWith('"') ? hit.container : undefined;
  return `${hit.kind ?? 'symbol'} ${hit.name ?? ''}${container ? ` (in ${container})` : ''}`;
}

/**
 * The note of a name that matched nothing: for `Container.name` whose name is declared in other containers, where;
 * otherwise `otherwise`.
 */
export function elsewhereNote(hits: readonly SymbolHit[], roots: readonly string[], otherwise: EmptyNote): string {
  if (hits.length === 0) return otherwise;
  const found = hits.map((h) => `${named(h)} — ${where(h, roots)}`).join('; ');
  return `"${hits[0].name ?? ''}" is declared in other containers: ${found}. Ask for one of those by its container, or grep for the text.`;
}

export function symbolsText(hits: readonly SymbolHit[], total: number, query: string, roots: readonly string[], maxChars: number, empty: EmptyNote, note = '') {
  const budget = new TextBudget(maxChars);
  if (hits.length === 0) budget.add(`No symbols match "${query}". ${empty}`);
  else budget.add(`${total > hits.length ? `First ${hits.length} of ${total}` : hits.length} symbol${hits.length === 1 ? '' : 's'} matching "${query}"${note}:`);
  for (const h of hits) budget.add(`${named(h)} — ${where(h, roots)}`);
  budget.skip(total - hits.length);
  return { text: budget.finish('use a more specific query'), truncated: budget.truncated };
}

/** `body` gives a definition's first lines, numbered from its line; without it, its own line is shown. */
export function definitionText(
  hits: readonly SymbolHit[],
  what: string,
  roots: readonly string[],
  maxChars: number,
  empty: EmptyNote,
  options: { note?: string; body?: (hit: SymbolHit) => { lines: string[]; more: number } } = {},
) {
  const budget = new TextBudget(maxChars);
  if (hits.length === 0) budget.add(`No definition found for ${what}. ${empty}`);
  else budget.add(`${hits.length} definition${hits.length === 1 ? '' : 's'} of ${what}${options.note ?? ''}:`);
  for (const h of hits) {
    budget.add(`${named(h)} — ${where(h, roots)}`);
    const body = options.body?.(h);
    if (!body) budget.add(`  ${h.line}: ${h.text}`);
    else {
      body.lines.forEach((line, i) => budget.add(`  ${h.line + i}: ${clipLine(line)}`));
      if (body.more > 0) budget.add(`  … (${body.more} more lines; read_file for the rest)`);
    }
  }
  return { text: budget.finish(), truncated: budget.truncated };
}

export function referencesText(
  hits: readonly SymbolHit[],
  what: string,
  roots: readonly string[],
  maxChars: number,
  empty: EmptyNote,
  notes: readonly string[] = [],
) {
  const budget = new TextBudget(maxChars);
  const files = new Set(hits.map((h) => h.abs));
  if (hits.length === 0) budget.add(`No references found for ${what}. ${empty}`);
  else budget.add(`${hits.length} reference${hits.length === 1 ? '' : 's'} to ${what} in ${files.size} file${files.size === 1 ? '' : 's'}:`);
  for (const note of notes) budget.add(note);
  let currentFile = '';
  for (const h of hits) {
    if (h.abs !== currentFile) {
      currentFile = h.abs;
      budget.add(displayPath(h.abs, roots));
    }
    budget.add(`  ${h.line}:${h.column}: ${h.text}${h.isDefinition ? '   [definition]' : ''}`);
  }
  return { text: budget.finish('ask about a narrower symbol or location'), truncated: budget.truncated };
}

export function outlineText(display: string, lineCount: number | undefined, entries: readonly OutlineEntry[], maxChars: number) {
  const budget = new TextBudget(maxChars);
  budget.add(`${display}${lineCount !== undefined ? ` (${lineCount} lines)` : ''}:`);
  for (const e of entries) {
    const range = e.endLine > e.line ? `lines ${e.line}-${e.endLine}` : `line ${e.line}`;
    budget.add(`${'  '.repeat(e.depth + 1)}${e.modifiers ? `${e.modifiers} ` : ''}${e.kind} ${e.container ? `${e.container}.` : ''}${e.name} (${range})`);
  }
  if (entries.length === 0) budget.add('  (no declarations)');
  return { text: budget.finish(`read_file ${display} in ranges instead`), truncated: budget.truncated };
}

export function outlineValue(entries: readonly OutlineEntry[]): JsonObject[] {
  return entries.map(({ name, kind, line, endLine, depth, container }) => ({ name, kind, line, endLine, depth, ...(container ? { container } : {}) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Names in plain text (for backends that must find identifiers themselves)

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

const KEYWORDS = new Set(
  'abstract as async await break case catch class const continue def default delete do else enum export extends false final finally fn for from func function if implements import in instanceof interface let new null package private protected public return static struct super switch this throw true try type typeof var void while with yield'.split(' '),
);

/** 0-based columns where identifiers (not keywords) start, for a location given without a column. */
export function identifierColumns(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(IDENTIFIER)) if (!KEYWORDS.has(m[0])) out.push(m.index);
  return out;
}

/** The identifier at a 0-based column (its start, inside it, or just after it). */
export function wordAt(text: string, column: number): string | undefined {
  for (const m of text.matchAll(IDENTIFIER)) if (m.index <= column && column <= m.index + m[0].length) return m[0];
  return undefined;
}

/** `foo()` and `Foo<T>` as some providers report them, without the decoration. */
export function bareName(name: string): string {
  return name.replace(/\(.*\)$|<.*>$/, '').trim();
}

const DECLARATION = /\b(?:function|class|def|interface|type|enum|struct|trait|const|let|var|val|fn|func|module|namespace)\s+$/;

/** A file's matches of a name: the line text and the 1-based column of the match. */
export interface NameMatches {
  file: string;
  lines: Array<{ text: string; column?: number }>;
}

/** Files that seem to declare the name (a keyword right before it) first, then by number of matches. */
export function rankDeclaringFiles(files: readonly NameMatches[]): string[] {
  const declares = (f: NameMatches) => f.lines.some((l) => l.column !== undefined && DECLARATION.test(l.text.slice(0, l.column - 1)));
  return files
    .map((f, i) => ({ file: f.file, score: (declares(f) ? 1_000_000 : 0) + f.lines.length, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((f) => f.file);
}
