import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../../base/errors';
import type { FileLocation, Tool, ToolContext } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { IgnoreRules } from '../paths/ignoreRules';
import { TextBudget } from '../textBudget';
import { optionalInt, optionalString } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { displayPath, fileLocation, recordResolved, resolveWorkspacePath } from '../paths/workspacePath';
import { PROTECTED_MARK, protectedPath } from '../paths/readPolicy';
import type { ReadPolicy } from '../paths/readPolicy';

const DEFAULT_DEPTH = 2;
const MAX_DEPTH = 6;
/** Entries shown per folder; the rest are counted. */
const MAX_PER_FOLDER = 100;
/** Entries listed in all. */
const MAX_ENTRIES = 2_000;

type Kind = 'dir' | 'file' | 'symlink';

function kindOf(entry: Dirent): Kind | undefined {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  return undefined;
}

interface Listing {
  budget: TextBudget;
  entries: JsonObject[];
  count: number;
  policy: ReadPolicy;
  /** Protected entries are shown, marked, instead of left out. */
  showProtected: boolean;
}

/** Lists `dirRel` under `root` into the listing, `depth` levels down, indented by `indent`. */
async function listFolder(
  rules: IgnoreRules,
  root: string,
  dirRel: string,
  depth: number,
  indent: string,
  listing: Listing,
  ctx: ToolContext,
): Promise<void> {
  throwIfAborted(ctx.signal);
  await rules.prepare(dirRel);
  let dirents: Dirent[];
  try {
    dirents = await fs.readdir(path.join(root, dirRel), { withFileTypes: true });
  } catch {
    listing.budget.add(`${indent}(unreadable)`);
    return;
  }
  const kept: Array<{ name: string; rel: string; kind: Kind; protected: boolean }> = [];
  for (const entry of dirents) {
    const kind = kindOf(entry);
    if (!kind) continue;
    const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
    if (rules.ignores(rel, kind === 'dir')) continue;
    const refused = listing.policy.refusal(root, rel, rel, kind === 'dir') !== undefined;
    if (refused && !listing.showProtected) continue;
    kept.push({ name: entry.name, rel, kind, protected: refused });
  }
  // Folders first, then files; each by name.
  kept.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let shown = 0;
  for (const entry of kept) {
    if (shown >= MAX_PER_FOLDER || listing.count >= MAX_ENTRIES) break;
    shown++;
    listing.count++;
    const abs = path.join(root, entry.rel);
    const suffix = entry.kind === 'dir' ? '/' : entry.kind === 'symlink' ? '@' : '';
    listing.budget.add(`${indent}${entry.name}${suffix}${entry.protected ? PROTECTED_MARK : ''}`);
    listing.entries.push({ path: displayPath(abs, ctx.roots), type: entry.kind, ...(entry.protected ? { protected: true } : {}) });
    // A protected folder's entries are not listed, even by name.
    if (entry.kind === 'dir' && depth > 1 && !entry.protected) await listFolder(rules, root, entry.rel, depth - 1, `${indent}  `, listing, ctx);
  }
  if (kept.length > shown) listing.budget.add(`${indent}… ${kept.length - shown} more entries`);
}

export function createListDirTool(deps: NodeToolDeps): Tool {
  return {
    name: 'list_dir',
    description:
      'list_dir(path?, depth?) shows the folder tree under a workspace folder (default: the workspace root), ' +
      `${DEFAULT_DEPTH} levels deep by default (at most ${MAX_DEPTH}); folders end with "/", symbolic links with ` +
      '"@". Files ignored by .gitignore and the workspace excludes, .git, and protected files (secrets, AI-ignored ' +
      'files) are left out. The value is a list of {path, type}. Use it first to learn how a project is laid out.',
    params: [
      { name: 'path', schema: { type: 'string' }, optional: true, description: 'Folder relative to the workspace root (default: the root).' },
      {
        name: 'depth',
        schema: { type: 'integer', minimum: 1 },
        optional: true,
        description: `Levels to show (default ${DEFAULT_DEPTH}, capped at ${MAX_DEPTH}).`,
      },
    ],
    async run(args, ctx) {
      const input = optionalString(args, 'path');
      const depth = optionalInt(args, 'depth', { min: 1, max: MAX_DEPTH }) ?? DEFAULT_DEPTH;
      const policy = deps.readPolicy();
      const listing: Listing = { budget: new TextBudget(ctx.maxChars), entries: [], count: 0, policy, showProtected: deps.listProtectedFiles ?? false };
      const locations: FileLocation[] = [];

      // No path in a multi-root workspace: every root, under its name.
      const targets = input
        ? [await resolveWorkspacePath(input, ctx.roots)]
        : await Promise.all(ctx.roots.map((root) => resolveWorkspacePath(root, ctx.roots)));
      for (const target of targets) {
        await recordResolved(ctx.reads, target);
        const stat = await fs.stat(target.abs);
        const refused = policy.refusal(target.root, target.rel, target.display, stat.isDirectory());
        // What a protected folder holds is not listed, even by name (its own name may be, in its parent's listing).
        if (refused) throw protectedPath(refused);
        if (!stat.isDirectory()) {
          listing.budget.add(`${target.display} (file, ${stat.size} bytes)`);
          listing.entries.push({ path: target.display, type: 'file' });
          locations.push(fileLocation(target.abs, ctx.roots));
          continue;
        }
        await ctx.reads?.tree(target.root, { excludeGlobs: deps.search.excludeGlobs, contents: false, under: target.rel, depth });
        const rules = new IgnoreRules(target.root, deps.search.excludeGlobs);
        // Folders on the way down hold ignore files that apply below.
        const parts = target.rel ? target.rel.split('/') : [];
        for (let i = 0; i < parts.length; i++) await rules.prepare(parts.slice(0, i).join('/'));
        listing.budget.add(`${target.display === '.' ? '.' : target.display}/`);
        locations.push(fileLocation(target.abs, ctx.roots));
        await listFolder(rules, target.root, target.rel, depth, '  ', listing, ctx);
      }
      const capped = listing.count >= MAX_ENTRIES;
      return {
        text: listing.budget.finish('list a subfolder or lower depth'),
        value: listing.entries,
        locations,
        truncated: listing.budget.truncated || capped,
      };
    },
  };
}
