import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A real git repository in a temporary folder, with a known history, for the workspace tool tests. */
export interface GitFixture {
  /** The temporary folder holding `repo` and `outside`. */
  base: string;
  /** The repository (the workspace root), symlinks resolved. */
  repo: string;
  /** A folder next to the repository that no tool may reach. */
  outside: string;
  /** Commit hashes by the short names used below, oldest first. */
  commits: Record<'init' | 'helpers' | 'rename' | 'subtract' | 'links', string>;
  /** Runs git in the repository (isolated from the user's git config) and returns stdout. */
  git(args: string[], env?: NodeJS.ProcessEnv): string;
  cleanup(): void;
}

interface Author {
  name: string;
  email: string;
}

export const ALICE: Author = { name: 'Alice Anders', email: 'alice@example.com' };
export const BOB: Author = { name: 'Bob Brown', email: 'bob@example.com' };
export const CAROL: Author = { name: 'Carol Chen', email: 'carol@example.com' };

/** git without the machine's global or system config, so the fixture is the same everywhere. */
export function isolatedGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...extra };
}

export const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}

export function multiply(a: number, b: number): number {
  return a * b;
}

export class Calculator {
  private total = 0;

  add(value: number): this {
    this.total = add(this.total, value);
    return this;
  }

  result(): number {
    return this.total;
  }
}
`;

export const SUBTRACT_TS = `
export function subtract(a: number, b: number): number {
  return a - b;
}
`;

export const MAIN_TS = `import { add, Calculator } from './math';

export function main(): number {
  const calc = new Calculator();
  calc.add(2).add(3);
  return add(calc.result(), 1);
}
`;

const UTIL_TS = `export const GREETING = 'hello';

export function shout(text: string): string {
  return text.toUpperCase() + '!';
}
`;

const HELPERS_TS = `${UTIL_TS}
export function whisper(text: string): string {
  return text.toLowerCase();
}
`;

const GREET_TS = `import { GREETING, shout } from './helpers';

export function greet(name: string): string {
  return shout(\`\${GREETING} \${name}\`);
}
`;

/** A PNG signature followed by bytes with NULs: binary by any test. */
export const LOGO = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 0), Buffer.from('add( inside binary')]);

export const LONG_LINES = 3_000;

function write(root: string, rel: string, content: string | Buffer): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function utf16(text: string, bigEndian: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (bigEndian) body.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]);
}

/** The fixture as first built in this process: later ones are copies of it, the same to the byte and the commit. */
let template: { base: string; commits: GitFixture['commits'] } | undefined;

/**
 * A fresh fixture of its own for the caller to change and clean up. Building one takes a few dozen git processes,
 * so it is built once per process and copied after that (links kept as they are, times kept).
 */
export function createGitFixture(): GitFixture {
  if (!template) {
    const built = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-tools-template-')));
    template = { base: built, commits: buildGitFixture(built) };
    process.once('exit', () => fs.rmSync(built, { recursive: true, force: true }));
  }
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-tools-')));
  fs.cpSync(template.base, base, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  const repo = path.join(base, 'repo');
  return {
    base,
    repo,
    outside: path.join(base, 'outside'),
    commits: { ...template.commits },
    git: gitIn(repo),
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

function gitIn(repo: string): GitFixture['git'] {
  return (args, env = {}) => execFileSync('git', args, { cwd: repo, env: isolatedGitEnv(env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Builds the fixture's repository and the folder beside it in `base`; returns the commits. */
function buildGitFixture(base: string): GitFixture['commits'] {
  const repo = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(repo);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside secret add(\n');

  const git = gitIn(repo);
  const commit = (author: Author, date: string, message: string): string => {
    git(['add', '-A']);
    git(['commit', '-q', '-m', message], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: date,
    });
    return git(['rev-parse', 'HEAD']).trim();
  };

  // No template (sample hooks and the like) and, below, the objects in one pack: every copy of the fixture is
  // written and removed file by file, a few dozen files rather than a hundred and fifty.
  git(['init', '-q', '-b', 'main', '--template=']);
  git(['config', 'core.autocrlf', 'false']);
  git(['config', 'commit.gpgsign', 'false']);

  write(repo, '.gitignore', '*.log\n!important.log\nbuild/\n.env\n');
  write(repo, 'README.md', '# Fixture\n\nA small project used by the tool tests.\n');
  write(repo, 'src/math.ts', MATH_TS);
  write(repo, 'src/main.ts', MAIN_TS);
  const init = commit(ALICE, '2023-01-10T09:00:00+00:00', 'Add math module and entry point');

  write(repo, 'src/util.ts', UTIL_TS);
  write(repo, 'docs/über.md', '# Über\n\nNon-ASCII file name. Grüße aus München.\n');
  write(repo, 'src/日本.ts', "export const japan = '日本';\n\nexport function greetJapan(): string {\n  return `こんにちは ${japan}`;\n}\n");
  const helpers = commit(BOB, '2023-02-14T15:30:00+01:00', 'Add string helpers and docs\n\nShout and greeting constants.');

  git(['mv', 'src/util.ts', 'src/helpers.ts']);
  write(repo, 'src/helpers.ts', HELPERS_TS);
  write(repo, 'src/greet.ts', GREET_TS);
  const rename = commit(CAROL, '2023-03-01T08:00:00-05:00', 'Rename util to helpers');

  write(repo, 'src/math.ts', MATH_TS + SUBTRACT_TS);
  write(repo, 'assets/logo.png', LOGO);
  write(repo, 'lib/legacy.js', 'function legacyAdd(a, b) {\n  return a + b;\n}\n\nmodule.exports = { legacyAdd };\n');
  write(repo, 'scripts/tool.py', 'def helper():\n    return 42\n');
  write(repo, 'docs/utf16le.txt', utf16('Hello UTF-16 LE\nsecond line ü\n', false));
  write(repo, 'docs/utf16be.txt', utf16('Hello UTF-16 BE\nsecond line ö\n', true));
  write(repo, 'docs/bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('BOM file ä\n')]));
  write(repo, 'important.log', 'kept despite *.log\n');
  write(repo, 'docs/.gitignore', '*.tmp\n');
  const subtract = commit(ALICE, '2023-04-05T12:00:00+00:00', 'Add subtract, logo and assorted files');

  write(repo, 'data/long.txt', Array.from({ length: LONG_LINES }, (_, i) => `line ${i + 1} of the long file`).join('\n') + '\n');
  fs.mkdirSync(path.join(repo, 'links'));
  fs.symlinkSync('../../outside', path.join(repo, 'links', 'outside-dir'));
  fs.symlinkSync('../../outside/secret.txt', path.join(repo, 'links', 'secret.txt'));
  fs.symlinkSync('../src/math.ts', path.join(repo, 'links', 'math-link.ts'));
  const links = commit(BOB, '2023-05-20T10:00:00+02:00', 'Add long data file and links');
  git(['repack', '-a', '-d', '-q']);

  // Uncommitted state: ignored files, and an edit for git_diff.
  write(repo, 'debug.log', 'ignored log add(\n');
  write(repo, 'build/out.js', 'function add(a, b) { return a + b; }\n');
  write(repo, '.env', 'SECRET=add(\n');
  write(repo, 'docs/draft.tmp', 'draft add(\n');
  fs.appendFileSync(path.join(repo, 'README.md'), 'Work in progress.\n');

  return { init, helpers, rename, subtract, links };
}

/** The fixture of the current suite: made before its first test and removed after its last; read it in tests. */
export function useGitFixture(): GitFixture {
  let fx: GitFixture | undefined;
  before(() => {
    fx = createGitFixture();
  });
  after(() => fx?.cleanup());
  const made = (): GitFixture => {
    if (!fx) throw new Error('the git fixture is made in the suite\'s before hook: read it in a test');
    return fx;
  };
  return {
    get base() {
      return made().base;
    },
    get repo() {
      return made().repo;
    },
    get outside() {
      return made().outside;
    },
    get commits() {
      return made().commits;
    },
    git: (args, env) => made().git(args, env),
    cleanup: () => made().cleanup(),
  };
}
