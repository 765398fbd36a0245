import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonObject } from '../../shared/json';
import type { FileLocation, ToolContext } from '../../shared/toolContract';
import type { ReadPolicy } from '../paths/readPolicy';
import { displayPath, fileLocation } from '../paths/workspacePath';
import type { TextBudget } from '../textBudget';
import type { FileChange } from './gitParse';
import type { GitRepo } from './gitRepo';
import { diffPrefixes, recordExistence } from './gitRepo';
import { PatchStream } from './patchStream';

export interface PatchResult {
  files: readonly FileChange[];
  values: JsonObject[];
  locations: FileLocation[];
  /** Whether git printed anything at all (a commit outside the folder prints nothing with `-- .`). */
  printed: boolean;
}

export interface PatchRequest {
  /** `show` or `diff` arguments, with `--numstat -z --patch` among them. */
  args: string[];
  /** With `git show --format=… -z`: the commit header, handed to `onHeader` before the files. */
  header: boolean;
  onHeader?(text: string): void;
  /** Called once the file list is known, before the summary lines are added; returns the heading line. */
  heading(files: readonly FileChange[]): string | undefined;
}

/**
 * Runs one `git show|diff --numstat -z --patch` and writes its result into the budget as it streams: the heading,
 * one summary line per file, then the patch with protected files' content left out. The whole patch never sits in
 * memory: lines past the budget are only counted.
 */
export async function streamPatch(
  repo: GitRepo,
  ctx: ToolContext,
  policy: ReadPolicy,
  budget: TextBudget,
  request: PatchRequest,
): Promise<PatchResult> {
  const { srcPrefix, dstPrefix } = diffPrefixes(repo, ctx.roots);
  const shownOf = (rel: string): string => displayPath(path.join(repo.root, rel), ctx.roots);
  const values: JsonObject[] = [];
  let printed = false;
  let patchStarted = false;
  const stream = new PatchStream({
    header: request.header,
    srcPrefix,
    dstPrefix,
    refuse: (f) => {
      for (const rel of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
        const why = policy.refusal(repo.root, rel, shownOf(rel));
        if (why) return why;
      }
      return undefined;
    },
    onHeader: (text) => request.onHeader?.(text),
    onFiles: (files) => {
      const heading = request.heading(files);
      if (heading !== undefined) budget.add(heading);
      for (const f of files) {
        const shown = shownOf(f.path);
        const oldPath = f.oldPath ? shownOf(f.oldPath) : undefined;
        budget.add(` ${oldPath ? `${oldPath} → ` : ''}${shown} | ${f.added === undefined ? 'binary' : `+${f.added} -${f.deleted}`}`);
        values.push({ path: shown, ...(oldPath ? { oldPath } : {}), ...(f.added !== undefined ? { added: f.added, deleted: f.deleted ?? 0 } : { binary: true }) });
      }
    },
    onLine: (line) => {
      if (!patchStarted) {
        budget.add('');
        patchStarted = true;
      }
      budget.add(line);
    },
  });
  await repo.stream(request.args, (chunk) => {
    printed = true;
    stream.push(chunk);
  });
  stream.flush();
  const files = stream.fileList;
  await recordExistence(ctx, files.map((f) => path.join(repo.root, f.path)));
  const locations: FileLocation[] = [];
  files.forEach((f, i) => {
    const abs = path.join(repo.root, f.path);
    // Locations are for opening: only files that exist now.
    if (!fs.existsSync(abs)) return;
    const line = stream.firstLines.get(i);
    locations.push(fileLocation(abs, ctx.roots, line ? { line } : {}));
  });
  return { files, values, locations, printed };
}
