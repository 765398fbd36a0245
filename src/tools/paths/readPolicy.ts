import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../base/errors';
import { LruCache } from '../../base/lruCache';
import { parseIgnoreFile } from './ignoreFile';
import type { IgnoreFile } from './ignoreFile';
import { rootOf, toPosix } from './workspacePath';

/**
 * Files no tool reads by default, in gitignore syntax: git's internals (remote URLs can hold tokens), environment
 * files (templates excepted), private keys and keystores, package-manager and network credentials, and the
 * credential files of cloud and container tools.
 *
 * The file kinds that hold keys and credentials follow gitrob's sensitive-file signatures, as kept up in the npm
 * package ban-sensitive-files (`git-deny-patterns.json`): its keys, keystores, password databases, credential and
 * account files and shell histories. Left readable from that list, as ordinary project files that rarely hold a
 * secret themselves: shell profiles and aliases, logs, packet captures, SQL dumps, framework configuration such as
 * `database.yml` or `settings.py`, and names merely containing "backup", "dump" or "password". Added to it: the
 * secret files of tools it predates (direnv, Wrangler, Terraform variables, Helm and SOPS secrets, cloud CLIs).
 */
export const SECRET_RULES: readonly string[] = [
  '.git',
  // Environment files; templates are meant to be shared.
  '.env',
  '.env.*',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '!.env.dist',
  '!.env.defaults',
  '!.env.schema',
  '.envrc',
  '.dev.vars',
  '.dev.vars.*',
  // Private keys, keystores and password databases (gitrob: keys, key bundles, KeePass, 1Password, keychains).
  '*.pem',
  '*.key',
  '*.keypair',
  '*.ppk',
  '*.p12',
  '*.pkcs12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.keyring',
  '*.keychain',
  '*.agilekeychain',
  '*.kdb',
  '*.kdbx',
  '*.kwallet',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '*_rsa',
  '*_dsa',
  '*_ecdsa',
  '*_ed25519',
  '*_key',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  '!id_*.pub',
  'otr.private_key',
  // Package-manager, network and database credentials.
  '.npmrc',
  '.yarnrc.yml',
  '.netrc',
  '_netrc',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.mylogin.cnf',
  '.git-credentials',
  '.htpasswd',
  '**/.gem/credentials',
  '**/.cargo/credentials',
  '**/.cargo/credentials.toml',
  '**/.config/gh/hosts.yml',
  'secret_token.rb',
  'credentials.xml',
  'jenkins.plugins.publish_over_ssh.BapSshPublisherPlugin.xml',
  '*.pubxml',
  '*.pubxml.user',
  'dbeaver-data-sources.xml',
  '*.ovpn',
  '*.tblk',
  '.s3cfg',
  '.boto',
  '.trc',
  '.muttrc',
  '**/.purple/accounts.xml',
  '**/.irssi/config',
  '**/.recon-ng/keys.db',
  // Shell and database client histories, where passwords are typed.
  '.bash_history',
  '.zsh_history',
  '.zhistory',
  '.history',
  '.mysql_history',
  '.psql_history',
  '.irb_history',
  // Cloud, container and infrastructure credentials.
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.config/gcloud/',
  'application_default_credentials.json',
  '**/.azure/',
  '**/.docker/config.json',
  '.dockercfg',
  '**/.kube/config',
  '.vault-token',
  'credentials.json',
  'secrets.json',
  'secrets.yaml',
  'secrets.yml',
  'secrets.*.yaml',
  'secrets.*.yml',
  '*.tfstate',
  '*.tfstate.backup',
  '*.tfvars',
  '*.tfvars.json',
  '.terraformrc',
  'terraform.rc',
  '**/.terraform.d/credentials.tfrc.json',
];

/**
 * Project files that keep files from AI tools, in gitignore syntax, read in each workspace folder and every folder
 * below it on the way to a file: `.cursorignore` (Cursor) first, as the most used, then `.aiignore` (JetBrains) and
 * `.aiexclude` (Gemini Code Assist, whose rules apply at and below their folder, take no `!`, and block the whole
 * folder when empty).
 */
export const AI_IGNORE_FILES: readonly string[] = ['.cursorignore', '.aiignore', '.aiexclude'];

/** Rules one AI-ignore file applies at most, and bytes of it read; past either, the file fails closed. */
export const MAX_AI_IGNORE_RULES = 1_000;
const MAX_AI_IGNORE_BYTES = 256 * 1024;

/** A rule set with what to call each of its lines in a refusal. */
interface Marked {
  rules: IgnoreFile;
  mark(line: number, text: string): string;
}

/** What blocks a whole folder, or the part of it a rule that cannot be honoured might cover. */
interface Block {
  /** Root-relative folder (or path) it covers, `''` for the root. */
  under: string;
  why: string;
}

/** One folder's AI-ignore files, as they are now. */
interface FolderRules {
  files: Array<Marked & { folder: string }>;
  blocks: Block[];
}

/** Distinct parts of a folder its blocks name at most; past that the whole folder is blocked, by the first reason. */
const MAX_BLOCKS = 32;

/** Adds a block unless one already covers its part; many blocks become one for the whole folder, so checks stay short. */
function addBlock(blocks: Block[], block: Block, folder: string): void {
  if (blocks.some((b) => within(block.under, b.under))) return;
  if (blocks.length >= MAX_BLOCKS) {
    blocks.splice(0, blocks.length, { under: folder, why: `${blocks[0]!.why}; with ${MAX_BLOCKS} more such rules, so is every file below its folder` });
    return;
  }
  blocks.push(block);
}

/** The built-in rules with the user's globs after them, per list of globs (parsed once). */
const builtInSets = new LruCache<string, { marked: Marked; blocks: Block[] }>(8);

function builtInRules(extraGlobs: readonly string[]): { marked: Marked; blocks: Block[] } {
  const globs = extraGlobs.filter((g) => g.trim() && !/[\r\n]/.test(g));
  const key = globs.join('\n');
  let set = builtInSets.get(key);
  if (!set) {
    const lines = [...SECRET_RULES, ...globs];
    const rules = parseIgnoreFile(lines.join('\n'));
    const mark = (line: number): string => {
      const pattern = lines[line - 1]!;
      return line <= SECRET_RULES.length ? `the built-in secret rule \`${pattern}\`` : `the setting llmCompiler.protectedFiles \`${pattern}\``;
    };
    // A glob of the user's that cannot be applied refuses all it might cover; a `!` one allows nothing.
    const blocks: Block[] = [];
    for (const u of rules.unhonoured) {
      if (!lines[u.line - 1]!.trim().startsWith('!')) addBlock(blocks, { under: u.prefix, why: `${mark(u.line)}, a glob that cannot be applied (${u.why}): every file it might match is refused` }, '');
    }
    set = { marked: { rules, mark }, blocks };
    builtInSets.set(key, set);
  }
  return set;
}

/** Parsed AI-ignore files by name and content: read afresh on every use, parsed again only when the text differs. */
const parsedFiles = new LruCache<string, IgnoreFile>(64);

function parseAiIgnore(name: string, text: string): IgnoreFile {
  const key = `${name}\0${createHash('sha256').update(text).digest('hex')}`;
  let rules = parsedFiles.get(key);
  if (!rules) {
    rules = parseIgnoreFile(text, { negation: name !== '.aiexclude', maxRules: MAX_AI_IGNORE_RULES, failClosed: true });
    parsedFiles.set(key, rules);
  }
  return rules;
}

/** The text of an AI-ignore file: undefined when there is none, `'unreadable'` when one is there but cannot be read. */
function readAiIgnore(file: string): { text: string; whole: boolean } | 'unreadable' | undefined {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  try {
    // Opened without blocking (a named pipe must not hold the thread) and checked on the handle.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const open = fs.fstatSync(fd);
      if (!open.isFile()) return 'unreadable';
      const buf = Buffer.alloc(Math.min(open.size, MAX_AI_IGNORE_BYTES));
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return { text: buf.subarray(0, n).toString('utf8'), whole: open.size <= MAX_AI_IGNORE_BYTES };
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'unreadable';
  }
}

/** `rel` lies at or below `folder` (both root-relative, `/`-separated, `''` the root). */
function within(rel: string, folder: string): boolean {
  return folder === '' || rel === folder || rel.startsWith(`${folder}/`);
}

/** The part of `rel` below `folder` (which holds it). */
function below(rel: string, folder: string): string {
  return folder === '' ? rel : rel.slice(folder.length + 1);
}

/**
 * What the tools may read: nothing under `.git`, no well-known secret file, nothing a project AI-ignore file names,
 * nothing the user's extra globs name. The user's globs come after the built-in rules, so a `!` glob there allows a
 * file the built-in rules refuse; a project file cannot (it is checked on its own), since the repository is not the
 * user. A rule that cannot be applied (too long, too many alternatives, past a file's caps) fails closed: whatever
 * it might cover is refused, and the refusal says why. Made for one tool call: the AI-ignore files are read when a
 * path under their folder is first asked about, and kept for the call.
 */
export class ReadPolicy {
  private readonly builtIn: Marked;
  private readonly builtInBlocks: Block[];
  /** Per root: each folder's AI-ignore files, and each folder's own verdict (undefined: readable). */
  private readonly folders = new Map<string, Map<string, FolderRules>>();
  private readonly folderVerdicts = new Map<string, Map<string, string | undefined>>();

  constructor(readonly extraGlobs: readonly string[] = []) {
    const { marked, blocks } = builtInRules(extraGlobs);
    this.builtIn = marked;
    this.builtInBlocks = blocks;
  }

  /** The AI-ignore files of one folder (root-relative), read on first use. */
  private folderRules(root: string, folder: string): FolderRules {
    let perRoot = this.folders.get(root);
    if (!perRoot) this.folders.set(root, (perRoot = new Map()));
    let rules = perRoot.get(folder);
    if (rules) return rules;
    rules = { files: [], blocks: [] };
    for (const name of AI_IGNORE_FILES) {
      const shown = folder ? `${folder}/${name}` : name;
      const read = readAiIgnore(path.join(root, ...folder.split('/'), name));
      if (read === undefined) continue;
      if (read === 'unreadable') {
        addBlock(rules.blocks, { under: folder, why: `${shown}, which cannot be read: every file below its folder is refused` }, folder);
        continue;
      }
      const parsed = parseAiIgnore(name, read.text);
      const mark = (line: number, text: string): string => `${shown} line ${line} \`${text}\``;
      rules.files.push({ rules: parsed, mark, folder });
      if (name === '.aiexclude' && parsed.size === 0 && parsed.unhonoured.length === 0) {
        addBlock(rules.blocks, { under: folder, why: `the empty ${shown}, which keeps every file below its folder from AI tools` }, folder);
      }
      if (!read.whole) {
        addBlock(rules.blocks, { under: folder, why: `${shown}, whose rules past its first ${MAX_AI_IGNORE_BYTES / 1024} KB cannot be applied: every file below its folder is refused` }, folder);
      }
      for (const u of parsed.unhonoured) {
        const under = u.prefix ? (folder ? `${folder}/${u.prefix}` : u.prefix) : folder;
        addBlock(rules.blocks, { under, why: `${shown} line ${u.line}, a rule that cannot be applied (${u.why}): every file it might match is refused` }, folder);
      }
    }
    perRoot.set(folder, rules);
    return rules;
  }

  /** Why the entry at `rel` itself may not be read (`matches …` or `is covered by …`), its folders being readable. */
  private ownRefusal(root: string, rel: string, isDir: boolean): string | undefined {
    const builtIn = this.builtIn.rules.matchRule(rel, isDir);
    if (builtIn && !builtIn.negated) return `matches ${this.builtIn.mark(builtIn.line, builtIn.text)}`;
    for (const block of this.builtInBlocks) if (within(rel, block.under)) return `is covered by ${block.why}`;
    // The AI-ignore files of every folder above `rel`, top first.
    const folders = [''];
    for (let cut = rel.indexOf('/'); cut >= 0; cut = rel.indexOf('/', cut + 1)) folders.push(rel.slice(0, cut));
    for (const folder of folders) {
      const rules = this.folderRules(root, folder);
      for (const block of rules.blocks) if (within(rel, block.under)) return `is covered by ${block.why}`;
      for (const file of rules.files) {
        const hit = file.rules.matchRule(below(rel, folder), isDir);
        if (hit && !hit.negated) return `matches ${file.mark(hit.line, hit.text)}`;
      }
    }
    return undefined;
  }

  /** Why a root-relative folder (or one of those above it) may not be read; remembered for the call. */
  private folderRefusal(root: string, folder: string): string | undefined {
    let perRoot = this.folderVerdicts.get(root);
    if (!perRoot) this.folderVerdicts.set(root, (perRoot = new Map()));
    if (perRoot.has(folder)) return perRoot.get(folder);
    const cut = folder.lastIndexOf('/');
    const verdict = (cut > 0 ? this.folderRefusal(root, folder.slice(0, cut)) : undefined) ?? this.ownRefusal(root, folder, true);
    perRoot.set(folder, verdict);
    return verdict;
  }

  /**
   * Why a root-relative path may not be read (`.env matches …`), or undefined when it may. `isDir`: the path is a
   * folder, which rules for folders (`secrets/`) match too.
   */
  refusal(root: string, rel: string, display = rel, isDir = false): string | undefined {
    if (!rel || rel === '.') return undefined;
    const posix = toPosix(rel);
    const cut = posix.lastIndexOf('/');
    const why = (cut > 0 ? this.folderRefusal(root, posix.slice(0, cut)) : undefined) ?? this.ownRefusal(root, posix, isDir);
    return why === undefined ? undefined : `${display} ${why}`;
  }

  /** Throws `protected-path` when the path may not be read. */
  check(root: string, rel: string, display = rel): void {
    const why = this.refusal(root, rel, display);
    if (why) throw protectedPath(why);
  }
}

/** How list_dir and find_files mark a protected file's name where the user has them shown. */
export const PROTECTED_MARK = ' (protected: not readable)';

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
