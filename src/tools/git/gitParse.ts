import type { JsonObject } from '../../shared/json';

/** `git log --format` fields, separated by US and ended by RS so subjects and bodies can hold anything else. */
export const COMMIT_FORMAT = '%H%x1f%h%x1f%an%x1f%ae%x1f%aI%x1f%P%x1f%s%x1f%b%x1e';

export interface CommitInfo {
  hash: string;
  shortHash: string;
  author: string;
  email: string;
  /** ISO 8601 author date with its offset. */
  date: string;
  parents: string[];
  subject: string;
  body: string;
}

export function parseCommits(out: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of out.split('\x1e')) {
    const fields = record.replace(/^\n/, '').split('\x1f');
    if (fields.length < 8) continue;
    const [hash, shortHash, author, email, date, parents, subject, body] = fields;
    commits.push({ hash, shortHash, author, email, date, parents: parents ? parents.split(' ') : [], subject, body: body.trim() });
  }
  return commits;
}

export function commitValue(c: CommitInfo): JsonObject {
  return { hash: c.hash, shortHash: c.shortHash, author: c.author, email: c.email, date: c.date, subject: c.subject };
}

export interface FileChange {
  /** Repository-relative, as git prints it (new name for renames). */
  path: string;
  oldPath?: string;
  /** Lines added/removed; undefined for binary files. */
  added?: number;
  deleted?: number;
}

/** Parses `--numstat -z`: `A\tD\tpath\0`, or `A\tD\t\0old\0new\0` for renames and copies. */
export function parseNumstat(out: string): FileChange[] {
  const parts = out.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length; i++) {
    const m = /^\n?(-|\d+)\t(-|\d+)\t(.*)$/s.exec(parts[i]);
    if (!m) continue;
    const count = (s: string): number | undefined => (s === '-' ? undefined : Number(s));
    const change: FileChange = { path: m[3], added: count(m[1]), deleted: count(m[2]) };
    if (m[3] === '') {
      change.oldPath = parts[++i];
      change.path = parts[++i];
    }
    if (change.added === undefined) delete change.added;
    if (change.deleted === undefined) delete change.deleted;
    changes.push(change);
  }
  return changes;
}

/** Undoes git's C-style quoting of unusual paths in patch headers (`"a\tb"`, octal escapes for bytes). */
export function unquote(name: string): string {
  if (!name.startsWith('"')) return name;
  const bytes: number[] = [];
  const body = name.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[i + 1];
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.push(simple[next] ?? next.charCodeAt(0));
        i += 1;
      }
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The first changed line (new side) of each file in a unified patch, keyed by the path after the `b/` prefix. */
export function firstHunkLines(patch: string): Map<string, number> {
  const out = new Map<string, number>();
  let current: string | undefined;
  let newLine = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const name = unquote(line.slice(4));
      current = name === '/dev/null' ? undefined : name.replace(/^b\//, '');
    } else if (current && !out.has(current)) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line);
      if (hunk) newLine = Number(hunk[1]);
      else if (line.startsWith(' ')) newLine++;
      // Context lines lead a hunk; the first added or removed line is where the change is.
      else if (line.startsWith('+') || line.startsWith('-')) out.set(current, Math.max(1, newLine));
    }
  }
  return out;
}

/** `2024-03-01T10:00:00+01:00` → `2024-03-01`, for compact listings. */
export function day(isoDate: string): string {
  return isoDate.slice(0, 10);
}

/**
 * A unified patch with the content of some files left out: `why` gets each file's path as its `---`/`+++` header
 * names it (without `a/`/`b/`) and returns the reason to leave it out, or undefined. A left-out file keeps its
 * header lines and a note in place of its hunks.
 */
export function withholdContent(patch: string, why: (path: string) => string | undefined): string {
  const out: string[] = [];
  let section: string[] = [];
  const flush = (): void => {
    // Headers end at the first hunk; content lines (` `, `+`, `-`) never start with `diff --git `.
    const hunk = section.findIndex((l) => l.startsWith('@@'));
    const headers = hunk < 0 ? section : section.slice(0, hunk);
    let reason: string | undefined;
    for (const line of headers) {
      if (!line.startsWith('--- ') && !line.startsWith('+++ ')) continue;
      const name = unquote(line.slice(4));
      if (name !== '/dev/null') reason ??= why(name.replace(/^[ab]\//, ''));
    }
    if (reason && hunk >= 0) out.push(...headers, `(content left out: ${reason})`);
    else out.push(...section);
    section = [];
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) flush();
    section.push(line);
  }
  flush();
  return out.join('\n');
}
