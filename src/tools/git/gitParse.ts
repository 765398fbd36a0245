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

/** `2024-03-01T10:00:00+01:00` → `2024-03-01`, for compact listings. */
export function day(isoDate: string): string {
  return isoDate.slice(0, 10);
}
