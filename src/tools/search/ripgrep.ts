import { CompilerError } from '../../base/errors';
import { runLines } from '../childProcess';
import type { GlobPlan } from './globPlan';
import type { HitSink, TextQuery } from './searchTypes';

/**
 * The file selection shared by `--files` and searches: hidden files included, ignore files honoured even outside a
 * git repository, no global excludes or config file (so results do not depend on the user's machine), `.git` and
 * the extra excludes skipped, and the glob's file-name part as a file type (see `GlobPlan`).
 */
function selectionArgs(plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  // `/` in printed paths on every platform, as the tools use them.
  const args = ['--hidden', '--no-require-git', '--no-ignore-global', '--no-config', '--path-separator', '/', '--glob', '!.git'];
  for (const exclude of excludeGlobs) args.push('--glob', `!${exclude}`);
  if (plan?.typeGlob) args.push('--type-add', `globfilter:${plan.typeGlob}`, '--type', 'globfilter');
  args.push('--', plan?.searchPath ?? '.');
  return args;
}

/** rg prints paths under the `.` search path as `./x`; tools work with `x`. */
function stripDot(rel: string): string {
  return rel.startsWith('./') ? rel.slice(2) : rel;
}

export interface RgRun {
  rg: string;
  root: string;
  excludeGlobs: readonly string[];
  signal: AbortSignal;
}

/** The command line of `rgListFiles` (run in the root). */
export function rgFilesArgs(plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  return ['--files', ...selectionArgs(plan, excludeGlobs)];
}

/** `rg --files` under one root; `onFile` gets root-relative paths. Resolves true when the listing ran to the end. */
export async function rgListFiles(run: RgRun, plan: GlobPlan | undefined, onFile: (rel: string) => boolean | void): Promise<boolean> {
  const args = rgFilesArgs(plan, run.excludeGlobs);
  let lines = 0;
  const matches = plan?.matches;
  const result = await runLines(run.rg, args, {
    cwd: run.root,
    signal: run.signal,
    onLine(line) {
      lines++;
      const rel = stripDot(line);
      if (!rel || (matches && !matches(rel, false))) return true;
      return onFile(rel);
    },
  });
  // Exit 2 with output means some folders could not be read; rg still listed the rest.
  if (result.code === 2 && lines === 0 && result.stderr) throw new CompilerError('tool-failed', `ripgrep failed: ${result.stderr}`);
  return !result.stopped;
}

interface RgJsonText {
  text?: string;
  bytes?: string;
}

interface RgMessage {
  type: 'begin' | 'match' | 'context' | 'end' | 'summary';
  data: {
    path?: RgJsonText;
    lines?: RgJsonText;
    line_number?: number;
    submatches?: Array<{ start: number; end: number }>;
  };
}

function jsonText(value: RgJsonText | undefined): string {
  if (!value) return '';
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('utf8');
}

/** rg reports byte offsets; editors count UTF-16 units. */
function columnOf(text: string, byteOffset: number): number {
  if (/^[\x00-\x7f]*$/.test(text)) return byteOffset + 1;
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length + 1;
}

function trimEol(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** The command line of `rgSearch` (run in the root). */
export function rgSearchArgs(query: Omit<TextQuery, 'glob'>, plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  const args = ['--json'];
  if (!query.regex) args.push('--fixed-strings');
  args.push(query.caseSensitive ? '--case-sensitive' : '--ignore-case');
  if (query.contextLines > 0) args.push('--context', String(query.contextLines));
  args.push('--regexp', query.pattern, ...selectionArgs(plan, excludeGlobs));
  return args;
}

/** `rg --json` under one root, read as a stream. Resolves true when the search ran to the end. */
export async function rgSearch(run: RgRun, query: Omit<TextQuery, 'glob'>, plan: GlobPlan | undefined, onHit: HitSink): Promise<boolean> {
  const args = rgSearchArgs(query, plan, run.excludeGlobs);

  let summary = false;
  let currentFile: string | undefined;
  let currentKept = true;
  const result = await runLines(run.rg, args, {
    cwd: run.root,
    signal: run.signal,
    onLine(line) {
      if (!line) return true;
      const message = JSON.parse(line) as RgMessage;
      if (message.type === 'summary') summary = true;
      if (message.type !== 'match' && message.type !== 'context') return true;
      const rel = stripDot(jsonText(message.data.path));
      if (rel !== currentFile) {
        currentFile = rel;
        currentKept = !plan?.matches || plan.matches(rel, false);
      }
      if (!currentKept) return true;
      const text = trimEol(jsonText(message.data.lines));
      const lineNo = message.data.line_number ?? 0;
      const first = message.data.submatches?.[0];
      const column = message.type === 'match' ? columnOf(text, first?.start ?? 0) : undefined;
      return onHit({ rel, line: { line: lineNo, text, ...(column !== undefined ? { column } : {}) } });
    },
  });
  // Without a summary rg stopped before searching: a bad pattern or glob.
  if (result.code === 2 && !summary && !result.stopped) {
    throw new CompilerError(query.regex ? 'invalid-args' : 'tool-failed', `ripgrep: ${result.stderr || 'failed'}`);
  }
  return !result.stopped;
}
