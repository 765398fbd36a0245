import type { FileChange } from './gitParse';

/** Characters of one output line kept; the rest of a longer line is dropped as it streams (the text is clipped far shorter anyway). */
const MAX_LINE_CHARS = 8_192;
/** Characters of the commit header (`git show --format`) kept: a hostile message cannot fill memory. */
const MAX_HEADER_CHARS = 262_144;

/**
 * Quotes a path as git writes it in patch headers with `core.quotepath=false`: in double quotes, with C escapes,
 * when it holds a control character, a double quote or a backslash (git's `quote_c_style`).
 */
export function quotePath(name: string): string {
  if (!/[\x00-\x1f"\\\x7f]/.test(name)) return name;
  const named: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '"': '"', '\\': '\\' };
  let out = '"';
  for (const ch of name) {
    if (named[ch]) out += `\\${named[ch]}`;
    else if (ch < ' ' || ch === '\x7f') out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export interface PatchStreamOptions {
  /** True for `git show --format=… -z`: the output starts with the commit header, ended by a NUL. */
  header: boolean;
  /** The `--src-prefix` and `--dst-prefix` given to git. */
  srcPrefix: string;
  dstPrefix: string;
  /** Why a file's content may not be shown, or undefined. */
  refuse(file: FileChange): string | undefined;
  /** The commit header's text (with `header`), before anything else. */
  onHeader?(text: string): void;
  /** Every changed file, from `--numstat -z`, before any patch line. */
  onFiles(files: FileChange[]): void;
  /** Each patch line as shown: a withheld file's hunks are replaced by one note. */
  onLine(line: string): void;
}

type Phase = 'header' | 'numstat' | 'patch';

/**
 * Reads `git show|diff --numstat -z --patch` as it streams (one git process gives the file list, then the patch),
 * in time linear in the output and memory bounded by a line. Each `diff --git` section is paired with the file list
 * entry at the same position (git writes both from one list), so a protected file is recognised by git's own
 * record of its name, however its patch header quotes it (spaces and the TAB git then appends, quotes, backslashes,
 * control characters, renames). A section whose header does not read as git would write that entry is withheld too.
 */
export class PatchStream {
  private phase: Phase;
  private pending: Buffer[] = [];
  private pendingChars = 0;
  private clipped = false;
  private files: FileChange[] = [];
  /** A rename's record waits for its two names. */
  private renameParts: string[] | undefined;
  private section = -1;
  /** Why the current section's content is left out; `noted` once its note is written. */
  private withheld: string | undefined;
  private noted = false;
  /** First changed line of each file (new side), by index in the file list. */
  readonly firstLines = new Map<number, number>();
  private newLine = 0;
  /** Past the current section's first `@@`: every line is content until the next section. */
  private inHunks = false;

  constructor(private readonly options: PatchStreamOptions) {
    this.phase = options.header ? 'header' : 'numstat';
  }

  get fileList(): readonly FileChange[] {
    return this.files;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const separator = this.phase === 'patch' ? 10 : 0;
      const end = chunk.indexOf(separator, start);
      if (end < 0) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, end));
      start = end + 1;
      const text = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      this.pendingChars = 0;
      this.clipped = false;
      this.record(text);
    }
  }

  flush(): void {
    if (this.pending.length) {
      const text = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      if (this.phase === 'patch') this.record(text);
    }
    if (this.phase !== 'patch') this.startPatch();
  }

  /** Buffers part of a record or line, up to the kept length (a header gets more room than a patch line). */
  private keep(part: Buffer): void {
    if (part.length === 0 || this.clipped) return;
    const limit = this.phase === 'header' ? MAX_HEADER_CHARS : MAX_LINE_CHARS;
    if (this.pendingChars + part.length > limit) {
      part = part.subarray(0, Math.max(0, limit - this.pendingChars));
      this.clipped = true;
    }
    this.pending.push(part);
    this.pendingChars += part.length;
  }

  private record(text: string): void {
    if (this.phase === 'header') {
      this.options.onHeader?.(text);
      this.phase = 'numstat';
      return;
    }
    if (this.phase === 'numstat') return this.numstat(text.replace(/^\n/, ''));
    this.line(text);
  }

  private numstat(text: string): void {
    if (this.renameParts) {
      this.renameParts.push(text);
      if (this.renameParts.length === 3) {
        const [counts, oldPath, newPath] = this.renameParts;
        this.renameParts = undefined;
        this.files.push({ ...countsOf(counts!), oldPath: oldPath!, path: newPath! });
      }
      return;
    }
    // An empty record ends the list; the patch follows.
    if (text === '') return this.startPatch();
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(text);
    if (!m) return;
    if (m[3] === '') this.renameParts = [`${m[1]}\t${m[2]}`];
    else this.files.push({ ...countsOf(`${m[1]}\t${m[2]}`), path: m[3]! });
  }

  private startPatch(): void {
    if (this.phase === 'patch') return;
    this.phase = 'patch';
    this.options.onFiles(this.files);
  }

  private line(text: string): void {
    if (text.startsWith('diff --git ')) {
      this.section++;
      this.noted = false;
      this.inHunks = false;
      this.newLine = 0;
      const file = this.files[this.section];
      const expected = file && `diff --git ${quotePath(this.options.srcPrefix + (file.oldPath ?? file.path))} ${quotePath(this.options.dstPrefix + file.path)}`;
      this.withheld = !file || text !== expected ? "git's patch header does not match its list of files" : this.options.refuse(file);
      this.options.onLine(text);
      return;
    }
    if (this.section < 0) {
      // Nothing precedes the first section in this output; should anything, it is not shown.
      return;
    }
    if (text.startsWith('@@')) {
      this.inHunks = true;
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(text);
      this.newLine = hunk ? Number(hunk[1]) : 0;
    } else if (this.inHunks && !this.firstLines.has(this.section)) {
      if (text.startsWith(' ')) this.newLine++;
      // Context lines lead a hunk; the first added or removed line is where the change is.
      else if (text.startsWith('+') || text.startsWith('-')) this.firstLines.set(this.section, Math.max(1, this.newLine));
    }
    if (this.withheld && this.inHunks) {
      if (!this.noted) this.options.onLine(`(content left out: ${this.withheld})`);
      this.noted = true;
      return;
    }
    this.options.onLine(text);
  }
}

function countsOf(counts: string): Pick<FileChange, 'added' | 'deleted'> {
  const [a, d] = counts.split('\t');
  return a === '-' ? {} : { added: Number(a), deleted: Number(d) };
}
