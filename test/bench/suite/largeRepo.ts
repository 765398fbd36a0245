import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchRepo } from './benchRepo';

/**
 * The codebase of the large-repo questions: the OpenAI Node SDK's TypeScript sources as published in its npm package
 * (node_modules/openai/src: about 300 files, so symbol lookups search a real project of several hundred files) with
 * its whole release history replayed from its CHANGELOG.md: one commit per release, oldest first, each writing that
 * release's CHANGELOG.md and src/version.ts. Two files with a long log (340 commits), a long changelog to blame, and
 * the installed package under node_modules/ (untracked, 20 MB, ~2 000 files) for a grep over a large tree.
 */
export const LARGE_REPO = {
  name: 'openai-node',
  source: 'node_modules/openai (src/ as the sources, history replayed from CHANGELOG.md, the package itself installed under node_modules/)',
  why:
    'real TypeScript of several hundred files (symbol lookups take the language service real time), files with a ' +
    'long history (one commit per release, 340 of them), and a large tree to search: the same kinds of questions on a larger codebase.',
} as const;

const AUTHORS = [
  ['Alex Rivera', 'alex.rivera@example.com'],
  ['Sam Chen', 'sam.chen@example.com'],
  ['Petra Novak', 'petra.novak@example.com'],
] as const;

interface Release {
  version: string;
  date: string;
  /** Where its section starts in the newest CHANGELOG.md. */
  at: number;
}

/** The releases of a CHANGELOG.md, newest first as written: `## 6.49.0 (2026-07-23)`. */
export function changelogReleases(changelog: string): Release[] {
  return [...changelog.matchAll(/^## (\d+\.\d+\.\d+[^\s]*) \((\d{4}-\d{2}-\d{2})\)$/gm)].map((m) => ({ version: m[1]!, date: m[2]!, at: m.index! }));
}

export async function createLargeRepo(projectRoot: string, signal: AbortSignal): Promise<BenchRepo> {
  const pkg = path.join(projectRoot, 'node_modules', 'openai');
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-openai-')));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    const commits = await replayHistory(pkg, root, signal);
    return { root, commits, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function replayHistory(pkg: string, root: string, signal: AbortSignal): Promise<number> {
  const changelog = await readFile(path.join(pkg, 'CHANGELOG.md'), 'utf8');
  const header = changelog.slice(0, changelogReleases(changelog)[0]?.at ?? 0);
  const releases = changelogReleases(changelog).reverse();
  const version = await readFile(path.join(pkg, 'src', 'version.ts'), 'utf8');
  const sources = await listFiles(path.join(pkg, 'src'));
  const sourcesText = new Map(await Promise.all(sources.map(async (f) => [f, await readFile(path.join(pkg, 'src', f), 'utf8')] as const)));

  await git(root, ['init', '--quiet', '--initial-branch=main'], signal);
  // One fast-import stream: hundreds of commits in a second instead of a git process per commit.
  const parts: string[] = [];
  const blob = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  releases.forEach((release, i) => {
    const [name, email] = AUTHORS[i % AUTHORS.length]!;
    const when = `${Math.floor(Date.parse(`${release.date}T12:00:00Z`) / 1000) + i} +0000`;
    const log = header + changelog.slice(release.at);
    parts.push(`commit refs/heads/main\nmark :${i + 1}\nauthor ${name} <${email}> ${when}\ncommitter ${name} <${email}> ${when}\n`);
    parts.push(blob(i === 0 ? `Initial import, release ${release.version}` : `Release ${release.version}`));
    if (i > 0) parts.push(`from :${i}\n`);
    if (i === 0) {
      for (const file of sources) {
        if (file === 'version.ts') continue;
        parts.push(`M 100644 inline src/${file}\n${blob(sourcesText.get(file)!)}`);
      }
    }
    parts.push(`M 100644 inline src/version.ts\n${blob(version.replace(/'[^']+'/, `'${release.version}'`))}`);
    parts.push(`M 100644 inline CHANGELOG.md\n${blob(log)}`);
    parts.push('\n');
  });
  await git(root, ['fast-import', '--quiet'], signal, parts.join(''));
  await git(root, ['checkout', '--quiet', '--force', 'main'], signal);
  // The installed package itself, untracked, as in a checkout whose dependencies are installed: a large tree for grep
  // (the symbol tools leave node_modules out, as they always do).
  await cp(pkg, path.join(root, 'node_modules', 'openai'), { recursive: true });
  return releases.length;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

function git(cwd: string, args: string[], signal: AbortSignal, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      signal,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed (${code}): ${stderr}`))));
    // A git that exits early closes its input: its own failure (on close) says why, not the broken pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
