import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import type { Ignore, IgnoreRule } from 'ignore';
import { CompilerError } from '../../base/errors';
import { LruCache } from '../../base/lruCache';
import { rootOf, toPosix } from './workspacePath';

/**
 * Files no tool reads by default, in gitignore syntax: git's internals (remote URLs can hold tokens), environment
 * files (templates excepted), private keys and keystores, package-manager and network credentials, and the
 * credential files of cloud and container tools.
 */
export const SECRET_RULES: readonly string[] = [
  '.git',
  '.env',
  '.env.*',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '!.env.dist',
  '!.env.defaults',
  '!.env.schema',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  '.npmrc',
  '.yarnrc.yml',
  '.netrc',
  '_netrc',
  '.pypirc',
  '.pgpass',
  '.git-credentials',
  '.htpasswd',
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.config/gcloud/',
  'application_default_credentials.json',
  '**/.azure/',
  '**/.docker/config.json',
  '**/.kube/config',
  'credentials.json',
  'secrets.json',
  '*.tfstate',
  '*.tfstate.backup',
];

/**
 * Project files that keep files from AI tools, in gitignore syntax, read at each workspace folder's top:
 * `.cursorignore` (Cursor) first, as the most used, then `.aiignore` (JetBrains) and `.aiexclude` (Gemini Code Assist).
 */
export const AI_IGNORE_FILES: readonly string[] = ['.cursorignore', '.aiignore', '.aiexclude'];

/**
 * Bounds on a project ignore file, whose lines come from the repository: a long line or one full of wildcards or
 * escapes costs the matcher time out of proportion; such lines are skipped.
 */
const MAX_RULES = 1_000;
const MAX_LINE = 200;
const MAX_WILDCARDS = 8;
const MAX_ESCAPES = 16;

function usable(line: string): boolean {
  if (line.length > MAX_LINE) return false;
  let wildcards = 0;
  let escapes = 0;
  for (const ch of line) {
    if (ch === '*' || ch === '?') wildcards++;
    else if (ch === '\\') escapes++;
  }
  return wildcards <= MAX_WILDCARDS && escapes <= MAX_ESCAPES;
}

/** Distinct path segments a rule set remembers before it forgets them all. */
const MAX_SEGMENTS = 50_000;

/**
 * Rules whose `mark` says where each came from, for the refusal's wording. Most paths match no rule, and testing a
 * whole path (and each folder above it) against every rule costs too much for the thousands of files a search or
 * the symbol index goes through; a path a rule refuses has a segment matching the rule's last segment, so segments
 * are checked first, each distinct one once.
 */
class RuleSet {
  private readonly matcher: Ignore;
  /** The rules' last segments; undefined when a rule's cannot be told apart (as in `dir/**`). */
  private readonly lastSegments: Ignore | undefined;
  private readonly seen = new Map<string, boolean>();

  constructor(patterns: ReadonlyArray<{ pattern: string; mark: string }>) {
    this.matcher = ignore({ allowRelativePaths: true }).add(patterns.map((p) => ({ pattern: p.pattern, mark: p.mark })));
    const lasts: string[] = [];
    for (const { pattern } of patterns) {
      // A negation only allows; it cannot make a path refused.
      if (pattern.startsWith('!')) continue;
      const last = pattern.trim().replace(/\/+$/, '').split('/').pop() ?? '';
      if (!last || last.includes('**')) {
        this.lastSegments = undefined;
        return;
      }
      lasts.push(last);
    }
    this.lastSegments = ignore({ allowRelativePaths: true }).add(lasts);
  }

  /** The rule that refuses a `/`-separated path, if one does. */
  rule(posix: string): IgnoreRule | undefined {
    if (this.lastSegments && !posix.split('/').some((segment) => this.segmentMatches(segment))) return undefined;
    return this.matcher.test(posix).rule;
  }

  private segmentMatches(segment: string): boolean {
    let hit = this.seen.get(segment);
    if (hit === undefined) {
      if (this.seen.size >= MAX_SEGMENTS) this.seen.clear();
      hit = segment !== '' && this.lastSegments!.ignores(segment);
      this.seen.set(segment, hit);
    }
    return hit;
  }
}

/** The built-in rules with the user's globs after them, per list of globs (compiled once). */
const builtInSets = new LruCache<string, RuleSet>(8);

function builtInRules(extraGlobs: readonly string[]): RuleSet {
  const key = extraGlobs.join('\n');
  let set = builtInSets.get(key);
  if (!set) {
    set = new RuleSet([
      ...SECRET_RULES.map((pattern) => ({ pattern, mark: `the built-in secret rule \`${pattern}\`` })),
      ...extraGlobs.filter((g) => g.trim() && usable(g)).map((pattern) => ({ pattern, mark: `the setting llmCompiler.protectedFiles \`${pattern}\`` })),
    ]);
    builtInSets.set(key, set);
  }
  return set;
}

/** The project file's rules, `mark` saying which line. */
function fileRules(name: string, text: string): Array<{ pattern: string; mark: string }> {
  const out: Array<{ pattern: string; mark: string }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < MAX_RULES; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#') || !usable(line)) continue;
    out.push({ pattern: line, mark: `${name} line ${i + 1} \`${line.trim()}\`` });
  }
  return out;
}

/** Project ignore files, read again only when they change (identity, size and time). */
const fileCache = new LruCache<string, { stamp: string; rules: Array<{ pattern: string; mark: string }> }>(64);

function readRules(root: string, name: string): Array<{ pattern: string; mark: string }> {
  const file = path.join(root, name);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    return [];
  }
  if (!stat.isFile()) return [];
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const cached = fileCache.get(file);
  if (cached?.stamp === stamp) return cached.rules;
  let text = '';
  try {
    // A project ignore file is a few lines; only its head is read.
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(stat.size, 256 * 1024));
      text = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const rules = fileRules(name, text);
  fileCache.set(file, { stamp, rules });
  return rules;
}

/**
 * What the tools may read: nothing under `.git`, no well-known secret file, nothing a project AI-ignore file names,
 * nothing the user's extra globs name. The user's globs come after the built-in rules, so a `!` glob there allows a
 * file the built-in rules refuse; a project file cannot (it is checked on its own), since the repository is not the
 * user. Made for one tool call: project files are read on first use and kept for the call.
 */
export class ReadPolicy {
  private readonly builtIn: RuleSet;
  private readonly projects = new Map<string, RuleSet>();

  constructor(readonly extraGlobs: readonly string[] = []) {
    this.builtIn = builtInRules(extraGlobs);
  }

  /** The rules of one root's project ignore files, as they are now on disk. */
  private project(root: string): RuleSet {
    let set = this.projects.get(root);
    if (!set) {
      set = new RuleSet(AI_IGNORE_FILES.flatMap((name) => readRules(root, name)));
      this.projects.set(root, set);
    }
    return set;
  }

  /** Why a root-relative path may not be read (`.env matches …`), or undefined when it may. */
  refusal(root: string, rel: string, display = rel): string | undefined {
    if (!rel || rel === '.') return undefined;
    const posix = toPosix(rel);
    const rule = this.builtIn.rule(posix) ?? this.project(root).rule(posix);
    return rule ? `${display} matches ${rule.mark ?? `\`${rule.pattern}\``}` : undefined;
  }

  /** Throws `protected-path` when the path may not be read. */
  check(root: string, rel: string, display = rel): void {
    const why = this.refusal(root, rel, display);
    if (why) throw protectedPath(why);
  }
}

export function protectedPath(why: string): CompilerError {
  return new CompilerError('protected-path', `refused: ${why}; the tools never read it.`);
}

/**
 * A file another component found (an editor's language features), if the tools may show it: in a root once symbolic
 * links are followed, and not protected. The path is kept as given when it lies in a root, else its real path.
 */
export async function readableFile(file: string, roots: readonly string[], policy: ReadPolicy): Promise<string | undefined> {
  const real = await fs.promises.realpath(file).catch(() => undefined);
  const root = real === undefined ? undefined : rootOf(real, roots);
  if (real === undefined || root === undefined) return undefined;
  if (policy.refusal(root, path.relative(root, real)) !== undefined) return undefined;
  return rootOf(file, roots) !== undefined ? file : real;
}
