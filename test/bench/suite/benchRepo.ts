import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The codebase the benchmark questions: ajv's TypeScript sources as published in its npm package
 * (node_modules/ajv/lib). Real, readable, multi-file TypeScript the language-service tools understand, with families
 * of similar modules (one file per JSON Schema keyword) that make natural comparison questions.
 */
export const BENCH_REPO = {
  name: 'ajv',
  source: 'node_modules/ajv (lib/, package.json, README.md, LICENSE)',
  why:
    'real TypeScript no one here wrote (125 files in lib/), readable and typed so definition/references/outline ' +
    'work, with one module per JSON Schema keyword: natural "compare N implementations" and "find X, then read ' +
    'it" questions. Its git history is recreated (11 commits, fixed authors and dates) so git questions have real answers.',
} as const;

interface HistoryCommit {
  message: string;
  author: string;
  date: string;
  /** Paths (files or folders) under the package, added or replaced by this commit. */
  paths: string[];
  /** Files rewritten by this commit: path → edit of the published text. */
  edits?: Record<string, (text: string) => string>;
}

const AUTHORS = {
  rivera: 'Alex Rivera <alex.rivera@example.com>',
  chen: 'Sam Chen <sam.chen@example.com>',
  novak: 'Petra Novak <petra.novak@example.com>',
};

const withVersion = (version: string) => (text: string) => text.replace(/"version": "[^"]+"/, `"version": "${version}"`);

/** Oldest first. Files arrive module by module; the package version is bumped last. */
export const HISTORY: HistoryCommit[] = [
  {
    message: 'Runtime helpers and public types',
    author: AUTHORS.rivera,
    date: '2024-01-08T10:00:00Z',
    paths: ['LICENSE', 'README.md', 'package.json', 'lib/runtime', 'lib/types'],
    edits: { 'package.json': withVersion('8.19.0') },
  },
  { message: 'Code generation and schema compilation', author: AUTHORS.rivera, date: '2024-01-15T14:30:00Z', paths: ['lib/compile'] },
  {
    message: 'Core class and draft-07 entry point',
    author: AUTHORS.chen,
    date: '2024-01-22T09:15:00Z',
    paths: ['lib/core.ts', 'lib/ajv.ts', 'lib/refs/data.json', 'lib/refs/json-schema-draft-06.json', 'lib/refs/json-schema-draft-07.json', 'lib/refs/json-schema-secure.json', 'lib/vocabularies/draft7.ts', 'lib/vocabularies/code.ts', 'lib/vocabularies/errors.ts'],
  },
  { message: 'Validation keywords', author: AUTHORS.chen, date: '2024-02-05T11:00:00Z', paths: ['lib/vocabularies/validation'] },
  { message: 'Applicator keywords', author: AUTHORS.novak, date: '2024-02-12T16:45:00Z', paths: ['lib/vocabularies/applicator'] },
  {
    message: 'Core, format, metadata and discriminator vocabularies',
    author: AUTHORS.novak,
    date: '2024-02-19T10:20:00Z',
    paths: ['lib/vocabularies/core', 'lib/vocabularies/format', 'lib/vocabularies/metadata.ts', 'lib/vocabularies/discriminator'],
  },
  {
    message: 'Drafts 2019-09 and 2020-12',
    author: AUTHORS.rivera,
    date: '2024-03-04T13:00:00Z',
    paths: ['lib/2019.ts', 'lib/2020.ts', 'lib/vocabularies/dynamic', 'lib/vocabularies/unevaluated', 'lib/vocabularies/next.ts', 'lib/vocabularies/draft2020.ts', 'lib/refs/json-schema-2019-09', 'lib/refs/json-schema-2020-12'],
  },
  {
    message: 'JSON Type Definition',
    author: AUTHORS.chen,
    date: '2024-03-18T08:40:00Z',
    paths: ['lib/jtd.ts', 'lib/vocabularies/jtd', 'lib/refs/jtd-schema.ts'],
  },
  { message: 'Standalone validation code', author: AUTHORS.novak, date: '2024-04-02T15:10:00Z', paths: ['lib/standalone'] },
  { message: 'Add remaining sources', author: AUTHORS.rivera, date: '2024-04-09T09:00:00Z', paths: ['lib'] },
  { message: 'Release 8.20.0', author: AUTHORS.chen, date: '2024-04-16T12:00:00Z', paths: ['package.json'] },
];

export interface BenchRepo {
  /** Absolute, symlinks resolved. */
  root: string;
  commits: number;
  remove(): Promise<void>;
}

/** Copies the package into a fresh temporary directory and recreates its history there. */
export async function createBenchRepo(projectRoot: string, signal: AbortSignal): Promise<BenchRepo> {
  const source = path.join(projectRoot, 'node_modules', 'ajv');
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-ajv-')));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    await recreateHistory(source, root, signal);
  } catch (error) {
    await remove();
    throw error;
  }
  return { root, commits: HISTORY.length, remove };
}

async function recreateHistory(source: string, root: string, signal: AbortSignal): Promise<void> {
  const git = (...args: string[]) => run('git', args, { cwd: root, env: gitEnv(), signal });
  await git('init', '--quiet', '--initial-branch=main');
  for (const commit of HISTORY) {
    for (const rel of commit.paths) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await cp(path.join(source, rel), path.join(root, rel), { recursive: true, force: true });
      const edit = commit.edits?.[rel];
      if (edit) await writeFile(path.join(root, rel), edit(await readFile(path.join(root, rel), 'utf8')));
    }
    await git('add', '--all');
    const [name, email] = splitAuthor(commit.author);
    await run('git', ['commit', '--quiet', '--no-gpg-sign', '--allow-empty', '-m', commit.message], {
      cwd: root,
      signal,
      env: { ...gitEnv(), GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: commit.date, GIT_COMMITTER_DATE: commit.date },
    });
  }
}

/** Git that ignores the user's configuration and hooks, so the history is the same on every machine. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
}

function splitAuthor(author: string): [string, string] {
  const match = /^(.*) <(.*)>$/.exec(author)!;
  return [match[1]!, match[2]!];
}
