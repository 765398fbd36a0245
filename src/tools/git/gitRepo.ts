import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { raceAbort } from '../../base/abortable';
import { CompilerError, abortError, isAbortError, throwIfAborted } from '../../base/errors';
import { LruCache } from '../../base/lruCache';
import type { JsonObject } from '../../shared/json';
import type { ToolContext, ToolOutput, ToolReads } from '../../shared/toolContract';
import { displayPath, rootNames, rootOf } from '../paths/workspacePath';
import { checkLayout, findLayout } from './gitLayout';
import type { ChunkSink } from './gitProcess';
import { gitFailure, spawnGit } from './gitProcess';
import type { GitLayout } from './gitLayout';

/**
 * Settings for every call. Output: UTF-8 paths unquoted, no colours or signatures. Safety: a repository's config
 * must not start programs behind a read-only question, so every setting that names one is emptied (fsmonitor, hooks,
 * credential helpers, ssh and proxy commands, askpass, external diff, gpg) and no transport may be used at all (a
 * partial clone would otherwise fetch missing objects, running ssh or a remote helper).
 */
const FIXED_CONFIG: ReadonlyArray<[string, string]> = [
  ['core.quotepath', 'false'],
  ['color.ui', 'false'],
  ['log.showSignature', 'false'],
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', os.devNull],
  ['credential.helper', ''],
  ['core.sshCommand', ''],
  ['core.gitProxy', ''],
  ['core.askPass', ''],
  ['diff.external', ''],
  ['gpg.program', ''],
  ['protocol.allow', 'never'],
  // A protocol's own setting wins over `protocol.allow`; the repository's config may name others (see driverOverrides).
  ...['file', 'git', 'ssh', 'http', 'https', 'ftp', 'ftps', 'ext'].map((p): [string, string] => [`protocol.${p}.allow`, 'never']),
];

/**
 * Global options before every subcommand: no pager; reading never takes git's optional index lock (it would collide
 * with the user's own git); paths after `--` are literal, not pathspec patterns.
 */
const GLOBAL_OPTIONS = ['--no-pager', '--no-optional-locks', '--literal-pathspecs'];

/**
 * Diff options of git_show and git_diff: no external diff programs or text conversion, renames detected, and paths
 * relative to the workspace folder git runs in, changes outside it left out. Patch headers name files as the tools
 * print them (`a/` and `b/` before the display path), whatever the repository's config says about prefixes.
 */
export function diffOptions(repo: GitRepo, roots: readonly string[]): string[] {
  const { srcPrefix, dstPrefix } = diffPrefixes(repo, roots);
  return ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--relative', `--src-prefix=${srcPrefix}`, `--dst-prefix=${dstPrefix}`];
}

/** The prefixes patch headers give paths: `a/` and `b/`, then the folder's name in a multi-root workspace. */
export function diffPrefixes(repo: GitRepo, roots: readonly string[]): { srcPrefix: string; dstPrefix: string } {
  const name = roots.length > 1 ? `${rootNames(roots)[roots.indexOf(repo.root)]}/` : '';
  return { srcPrefix: `a/${name}`, dstPrefix: `b/${name}` };
}

/**
 * The environment's variables simple-git guards (it refuses to pass them on); the user's own ones would only make
 * git behave differently from one machine to the next.
 */
const GUARDED_ENV = /^(git_.*|editor|visual|pager|prefix|ssh_askpass)$/i;

/** A git repository seen from one workspace root. */
export interface GitRepo {
  /** The workspace root; git runs there and paths after `--` are relative to it. */
  root: string;
  /** The repository's top folder. */
  top: string;
  run(args: readonly string[]): Promise<string>;
  /** Runs git, handing stdout on as it comes; the sink returning false stops git. */
  stream(args: readonly string[], onChunk: ChunkSink): Promise<void>;
  runBinary(args: readonly string[]): Promise<Buffer>;
}

/** What is learnt about a root's repository once and reused while the files it came from are unchanged. */
interface RepoInfo {
  top: string;
  /** The repository's git folder and, for a linked worktree, the main one's (refs and config live there). */
  gitDir: string;
  commonDir: string;
  /** The git folder and work tree every call is given. */
  layout: GitLayout;
  /** Config overrides that neutralise the filter and diff drivers the repository's config names. */
  overrides: Array<[string, string]>;
  /** Files whose change invalidates the entry (config files, `.git` entries between root and top). */
  watched: string[];
  stamp: string;
}

/** Repository facts per git binary and root; checked with a few `stat` calls instead of running git again. */
const repoInfos = new LruCache<string, RepoInfo>(64);

function failure(error: unknown, args: readonly string[], signal: AbortSignal): Error {
  if (signal.aborted) return abortError(signal.reason);
  // simple-git's message holds stdout and stderr together; only git's own complaint is kept, and briefly.
  return gitFailure(args, error instanceof Error ? error.message : String(error), null);
}

/** Identity and version of each file; a folder (such as `.git`) only by identity, as git changes it all the time. */
async function stampOf(files: readonly string[]): Promise<string> {
  const stats = await Promise.all(
    files.map((f) => fs.lstat(f).then((s) => (s.isDirectory() ? `${s.ino}:d` : `${s.ino}:${s.size}:${s.mtimeMs}`), () => '-')),
  );
  return stats.join('|');
}

/**
 * Overrides for the drivers and protocols a config names: `filter.<name>.<key>`, `diff.<name>.<key>` and
 * `protocol.<name>.allow` entries (names may hold dots).
 */
export function driverOverrides(names: readonly string[]): Array<[string, string]> {
  const filters = new Set<string>();
  const diffs = new Set<string>();
  const protocols = new Set<string>();
  for (const key of names) {
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first < 0 || last <= first) continue;
    const section = key.slice(0, first).toLowerCase();
    const driver = key.slice(first + 1, last);
    if (section === 'filter') filters.add(driver);
    else if (section === 'diff') diffs.add(driver);
    else if (section === 'protocol') protocols.add(driver);
  }
  const out: Array<[string, string]> = [];
  for (const d of [...filters].sort()) {
    // An emptied filter passes content through; `required` would turn the missing filter into an error.
    out.push([`filter.${d}.clean`, ''], [`filter.${d}.smudge`, ''], [`filter.${d}.process`, ''], [`filter.${d}.required`, 'false']);
  }
  // `--no-textconv` and `--no-ext-diff` already keep these from running; emptied, any other path fails instead of running them.
  for (const d of [...diffs].sort()) out.push([`diff.${d}.textconv`, ''], [`diff.${d}.command`, '']);
  for (const p of [...protocols].sort()) out.push([`protocol.${p}.allow`, 'never']);
  return out;
}

/**
 * Builds the runner for a root: fixed and per-repository overrides passed as `GIT_CONFIG_COUNT` entries (command
 * line scope, above every config file; any key spelling works, unlike `-c key=value`), no terminal prompts. The git
 * folder and work tree are given, not discovered, so what `checkLayout` allowed is what git reads, and no
 * `core.worktree` moves the work tree.
 */
function makeRunner(root: string, layout: Pick<GitLayout, 'gitDir' | 'top'>, gitPath: string, signal: AbortSignal, overrides: ReadonlyArray<[string, string]>) {
  const config = [...FIXED_CONFIG, ...overrides];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !GUARDED_ENV.test(k)) env[k] = v;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_PROTOCOL_FROM_USER = '0';
  env.GIT_DIR = layout.gitDir;
  env.GIT_WORK_TREE = layout.top;
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  const git: SimpleGit = simpleGit({
    baseDir: root,
    binary: gitPath,
    abort: signal,
    trimmed: false,
    maxConcurrentProcesses: 4,
    allowEnvironment: Object.keys(env).filter((k) => k.startsWith('GIT_')),
    // simple-git refuses any value for these keys; here each is set to the value that turns the program off.
    unsafe: {
      allowUnsafeConfigEnvCount: true,
      allowUnsafeFsMonitor: true,
      allowUnsafeHooksPath: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeSshCommand: true,
      allowUnsafeGitProxy: true,
      allowUnsafeAskPass: true,
      allowUnsafeDiffExternal: true,
      allowUnsafeDiffTextConv: true,
      allowUnsafeFilter: true,
      allowUnsafeGpgProgram: true,
      allowUnsafeProtocolOverride: true,
      allowUnsafeCustomBinary: gitPath !== 'git',
    },
  }).env(env);
  // Text output comes from git spawned directly: simple-git waits 50 ms more for a call that prints nothing (most of
  // an unchanged git_diff) and keeps all output until the end, where a patch is read while it streams.
  const direct = { git: gitPath, cwd: root, env: { ...env, GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: 'true' }, signal };
  const stream = async (args: readonly string[], onChunk: ChunkSink): Promise<void> => {
    await spawnGit(direct, [...GLOBAL_OPTIONS, ...args], onChunk);
  };
  const run = async (args: readonly string[]): Promise<string> => {
    const chunks: Buffer[] = [];
    await spawnGit(direct, [...GLOBAL_OPTIONS, ...args], (chunk) => void chunks.push(chunk));
    return Buffer.concat(chunks).toString('utf8');
  };
  const runBinary = async (args: readonly string[]): Promise<Buffer> => {
    try {
      return await git.binaryCatFile([...args]);
    } catch (error) {
      throw failure(error, args, signal);
    }
  };
  return { run, stream, runBinary };
}

function globalConfigFiles(): string[] {
  const home = os.homedir();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config'), '/etc/gitconfig'];
}

async function loadRepoInfo(root: string, roots: readonly string[], signal: AbortSignal, gitPath: string): Promise<RepoInfo> {
  const folder = displayPath(root, roots);
  const realRoot = await fs.realpath(root).catch(() => root);
  const layout = await findLayout(realRoot, folder);
  const probe = makeRunner(root, layout, gitPath, signal, []);
  const [gitDir, commonDir] = (await probe.run(['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir']))
    .split('\n')
    .map((l) => l.trim());
  const top = layout.top;
  // Reading config runs nothing; origins name the files (includes too) that defined a driver. `core.worktree`
  // counts only from the repository's own config, as git reads it.
  const listing = await probe
    .run(['config', '--null', '--show-scope', '--show-origin', '--get-regexp', '^((filter|diff|protocol)\\..+\\.|core\\.worktree$)'])
    .catch(() => '');
  const parts = listing.split('\0');
  const names: string[] = [];
  const origins = new Set<string>();
  let worktreeSetting: string | undefined;
  for (let i = 0; i + 2 < parts.length; i += 3) {
    const [scope, origin, entry] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
    const newline = entry.indexOf('\n');
    const name = newline < 0 ? entry : entry.slice(0, newline);
    if (name.toLowerCase() === 'core.worktree') {
      if (scope === 'local' || scope === 'worktree') worktreeSetting = newline < 0 ? '' : entry.slice(newline + 1);
      continue;
    }
    if (origin.startsWith('file:')) origins.add(path.resolve(root, origin.slice(5)));
    names.push(name);
  }
  await checkLayout(layout, worktreeSetting || undefined, folder);
  const gitEntries: string[] = [];
  for (let d = realRoot; ; d = path.dirname(d)) {
    gitEntries.push(path.join(d, '.git'));
    if (d === top || path.dirname(d) === d) break;
  }
  const watched = [
    path.join(commonDir, 'config'),
    path.join(gitDir, 'config.worktree'),
    // What decides where the history comes from (see checkLayout).
    path.join(layout.gitDir, 'gitdir'),
    path.join(layout.gitDir, 'commondir'),
    ...gitEntries,
    ...globalConfigFiles(),
    ...[...origins].sort(),
  ];
  return { top, gitDir, commonDir, layout, overrides: driverOverrides(names), watched, stamp: await stampOf(watched) };
}

/**
 * Loads in flight, by git binary, root and workspace: git calls that start together (a plan's parallel git tasks)
 * run git once to learn the repository, not once each.
 */
const loading = new Map<string, Promise<RepoInfo>>();

/** The repository's facts: known ones while their files are unchanged, else a load shared with calls already at it. */
async function repoInfo(root: string, roots: readonly string[], signal: AbortSignal, gitPath: string): Promise<RepoInfo> {
  const key = `${gitPath}\0${root}`;
  const known = repoInfos.get(key);
  if (known && (await stampOf(known.watched)) === known.stamp) return known;
  const loadKey = `${key}\0${roots.join('\0')}`;
  const inFlight = loading.get(loadKey);
  if (inFlight) {
    try {
      // Waiting for another call's lookup, this call still ends the moment its own signal aborts.
      const info = await raceAbort(inFlight, signal);
      // Used as long as its files are as it read them.
      if ((await stampOf(info.watched)) === info.stamp) return info;
    } catch (error) {
      // Another call's cancellation is not this call's answer; any other failure is.
      if (!isAbortError(error)) throw error;
    }
    throwIfAborted(signal);
  }
  const load = loadRepoInfo(root, roots, signal, gitPath);
  loading.set(loadKey, load);
  try {
    const info = await load;
    repoInfos.set(key, info);
    return info;
  } finally {
    if (loading.get(loadKey) === load) loading.delete(loadKey);
  }
}

/** Opens the repository holding `root`; `unsupported` when there is none. Every call honours `signal`. */
export async function openRepo(
  root: string,
  roots: readonly string[],
  signal: AbortSignal,
  gitPath = 'git',
  reads?: ToolReads,
): Promise<GitRepo> {
  throwIfAborted(signal);
  const info = await repoInfo(root, roots, signal, gitPath);
  // Recorded before git reads anything: the answers depend on HEAD, the refs and the index.
  await reads?.git(info.gitDir, info.commonDir);
  return { root, top: info.top, ...makeRunner(root, info.layout, gitPath, signal, info.overrides) };
}

/** Characters a revision may use: names, hashes, `~N`, `^N`, `@{...}`. No spaces, no `:` (that would name a file). */
const REV_SYNTAX = /^[A-Za-z0-9_@][A-Za-z0-9_./~^@{}+-]*$/;

/** Checks a revision argument's shape; it never reaches git as an option. */
export function checkRev(rev: string, param: string): string {
  if (!rev || rev.length > 200 || !REV_SYNTAX.test(rev) || rev.includes('..')) {
    throw new CompilerError('invalid-args', `Parameter ${param}: "${rev}" is not a revision (e.g. HEAD, HEAD~2, main, a commit hash, a tag).`);
  }
  return rev;
}

/** Resolves a revision to the full hash of its commit; `not-found` if the repository has no such commit. */
export async function resolveCommit(repo: GitRepo, rev: string, param: string): Promise<string> {
  checkRev(rev, param);
  const hash = (await repo.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new CompilerError('not-found', `Unknown revision "${rev}".`);
  return hash;
}

/** The pathspec for a root-relative path: `.` stands for the root itself. */
export function pathspec(rel: string): string {
  return rel === '' ? '.' : rel;
}

/** Files whose existence a result's locations reflect; more than a commit's worth is not worth checking. */
const MAX_RECORDED_FILES = 500;

/** Records the workspace files a git result links to (only those that exist are linked). */
export async function recordExistence(ctx: ToolContext, files: readonly string[]): Promise<void> {
  if (!ctx.reads) return;
  const inWorkspace = files.filter((abs) => rootOf(abs, ctx.roots) !== undefined);
  if (inWorkspace.length > MAX_RECORDED_FILES) return ctx.reads.volatile();
  await Promise.all(inWorkspace.map((abs) => ctx.reads!.path(abs)));
}

/**
 * A git tool's call without a path in a multi-root workspace: run in every folder at once (each its own
 * repository), each folder's answer under its name, in folder order, sharing the budget. A folder without a
 * repository, or without the revision asked for, says so in its place; the call fails only when every folder
 * fails. The value lists `{folder, value}` or `{folder, error}` per folder.
 */
export async function inEveryFolder(ctx: ToolContext, run: (root: string, ctx: ToolContext) => Promise<ToolOutput>): Promise<ToolOutput> {
  if (ctx.roots.length === 1) return run(ctx.roots[0]!, ctx);
  const names = rootNames(ctx.roots);
  const share = Math.max(500, Math.floor((ctx.maxChars - 40 * ctx.roots.length) / ctx.roots.length));
  const outs = await Promise.all(
    ctx.roots.map((root) =>
      run(root, { ...ctx, maxChars: share }).then(
        (out) => ({ out, error: undefined }),
        (error: unknown) => {
          if (isAbortError(error) || !(error instanceof CompilerError)) throw error;
          return { out: undefined, error };
        },
      ),
    ),
  );
  const failed = outs.filter((o) => o.error);
  if (failed.length === outs.length) throw failed[0]!.error!;
  return {
    text: outs.map((o, i) => `── ${names[i]} ──\n${o.out ? o.out.text : `(${o.error!.message})`}`).join('\n\n'),
    value: outs.map((o, i): JsonObject => (o.out ? { folder: names[i]!, value: o.out.value ?? o.out.text } : { folder: names[i]!, error: o.error!.message })),
    locations: outs.flatMap((o) => o.out?.locations ?? []),
    truncated: outs.some((o) => o.out?.truncated),
  };
}
