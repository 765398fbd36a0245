import { CompilerError } from '../../base/errors';
import type { FileLocation, Tool } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { openableFile, readHead } from '../files/fileContent';
import { day } from './gitParse';
import { openRepo } from './gitRepo';
import { TextBudget, clipLine } from '../textBudget';
import { decodeBytes, splitLines } from '../files/textDecode';
import { optionalInt, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation } from '../paths/workspacePath';

/** Lines blamed when no end_line is given. */
const DEFAULT_SPAN = 400;

interface BlameCommit {
  hash: string;
  author: string;
  email: string;
  date: string;
  summary: string;
}

export interface BlameLine extends BlameCommit {
  line: number;
  text: string;
}

/** Epoch seconds and `+0100` as `2024-01-31T10:00:00+01:00`, the form `git log --format=%aI` prints. */
function isoWithOffset(seconds: number, tz: string): string {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(tz);
  if (!m) return new Date(seconds * 1000).toISOString();
  const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60;
  return `${new Date((seconds + offset) * 1000).toISOString().slice(0, 19)}${m[1]}${m[2]}:${m[3]}`;
}

/** Parses `git blame --porcelain`: a header per line, commit details the first time a commit appears. */
export function parsePorcelainBlame(out: string): BlameLine[] {
  const commits = new Map<string, BlameCommit>();
  const lines: BlameLine[] = [];
  let current: BlameCommit | undefined;
  let finalLine = 0;
  let time = 0;
  for (const raw of out.split('\n')) {
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$/.exec(raw);
    if (header) {
      const hash = header[1];
      finalLine = Number(header[2]);
      current = commits.get(hash);
      if (!current) {
        current = { hash, author: '', email: '', date: '', summary: '' };
        commits.set(hash, current);
      }
      continue;
    }
    if (!current) continue;
    if (raw.startsWith('\t')) {
      lines.push({ ...current, line: finalLine, text: raw.slice(1) });
    } else if (raw.startsWith('author ')) {
      current.author = raw.slice(7);
    } else if (raw.startsWith('author-mail ')) {
      current.email = raw.slice(12).replace(/^<|>$/g, '');
    } else if (raw.startsWith('author-time ')) {
      time = Number(raw.slice(12));
    } else if (raw.startsWith('author-tz ')) {
      current.date = isoWithOffset(time, raw.slice(10));
    } else if (raw.startsWith('summary ')) {
      current.summary = raw.slice(8);
    }
  }
  return lines;
}

export function createGitBlameTool(deps: NodeToolDeps): Tool {
  return {
    name: 'git_blame',
    description:
      'git_blame(path, start_line?, end_line?) tells who last changed each line of a file and in which commit ' +
      '(uncommitted lines show as 0000000). Lines are grouped by commit: a "hash date author  summary" heading, then ' +
      `"N: text" lines. Without a range, the first ${DEFAULT_SPAN} lines. The value is a list of {line, hash, author, ` +
      'email, date, summary, text}. Use it to find when and why specific lines were introduced.',
    params: [
      { name: 'path', schema: { type: 'string', minLength: 1 }, description: 'File relative to the workspace root.' },
      { name: 'start_line', schema: { type: 'integer', minimum: 1 }, optional: true, description: 'First line (1-based).' },
      { name: 'end_line', schema: { type: 'integer', minimum: 1 }, optional: true, description: 'Last line (inclusive).' },
    ],
    async run(args, ctx) {
      // git opens the file too, so it is checked as read_file checks it (a named pipe would hold git).
      const target = await openableFile(stringArg(args, 'path'), ctx, deps.readPolicy(), 'git_blame needs a file');
      const repo = await openRepo(target.root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);

      // git refuses ranges past the end, so the range is fitted to the file first.
      const { bytes } = await readHead(target.abs, ctx.signal, target.display);
      const decoded = decodeBytes(bytes);
      const total = decoded.binary ? 0 : splitLines(decoded.text).length;
      if (decoded.binary) throw new CompilerError('unsupported', `${target.display} is a binary file; git_blame works on text.`);
      const start = optionalInt(args, 'start_line', { min: 1, max: Number.MAX_SAFE_INTEGER }) ?? 1;
      const requestedEnd = optionalInt(args, 'end_line', { min: 1, max: Number.MAX_SAFE_INTEGER });
      if (total === 0) return { text: `${target.display} is empty.`, value: [], locations: [fileLocation(target.abs, ctx.roots)] };
      if (start > total) throw new CompilerError('invalid-args', `start_line ${start} is past the end of ${target.display} (${total} lines).`);
      if (requestedEnd !== undefined && requestedEnd < start) throw new CompilerError('invalid-args', `end_line ${requestedEnd} is before start_line ${start}.`);
      const end = Math.min(requestedEnd ?? start + DEFAULT_SPAN - 1, total);

      let porcelain: string;
      try {
        porcelain = await repo.run(['blame', '--porcelain', '--no-textconv', '-L', `${start},${end}`, '--', target.rel]);
      } catch (error) {
        // Only a failure costs the second process that tells an untracked file from git failing.
        const tracked = await repo.run(['ls-files', '-z', '--', target.rel]);
        if (!tracked) throw new CompilerError('not-found', `${target.display} is not tracked by git.`);
        throw error;
      }
      const lines = parsePorcelainBlame(porcelain);
      lines.sort((a, b) => a.line - b.line);
      const budget = new TextBudget(ctx.maxChars);
      budget.add(`${target.display} lines ${start}-${end} of ${total}:`);
      const locations: FileLocation[] = [];
      const values: JsonObject[] = [];
      let group: BlameLine | undefined;
      for (const l of lines) {
        if (!group || group.hash !== l.hash) {
          group = l;
          budget.add(`${l.hash.slice(0, 7)} ${day(l.date)} ${l.author}  ${l.summary}`);
          locations.push(fileLocation(target.abs, ctx.roots, { line: l.line }));
        }
        const last = locations[locations.length - 1];
        if (l.line > (last.line ?? 0)) last.endLine = l.line;
        budget.add(`  ${l.line}: ${clipLine(l.text, 1, 300)}`);
        values.push({ line: l.line, hash: l.hash, author: l.author, email: l.email, date: l.date, summary: l.summary, text: l.text });
      }
      if (requestedEnd === undefined && end < total) budget.skip(total - end);
      return { text: budget.finish('use start_line/end_line'), value: values, locations, truncated: budget.truncated };
    },
  };
}
