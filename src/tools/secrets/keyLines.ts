import * as fs from 'node:fs';
import type { FileLocation } from '../../shared/toolContract';

// A key's body lines shown without its BEGIN line (a grep for one of them, a read_file or git_blame of a range inside
// the key, a patch hunk that starts inside it) look like nothing but base64. Such a line is withheld when the file it
// came from holds a private key, or when there is no file to ask (history, external tools).

/** What a tool puts before a file's line (`12: `, `  12- `, `3| `) and a patch before its lines (`+`, `-`, ` `). */
const LINE_PREFIX = /^\s{0,16}(?:\d{1,12}[:|-] ?)?[+\- ]?/;
/** A line of a key's body: 40 base64 characters or more (PEM lines hold 64, OpenSSH 70), padding at its end only. */
const BASE64_LINE = /^[A-Za-z0-9+/]{40,}={0,2}$/;
/** The marker of a private key block, as `-----BEGIN RSA PRIVATE KEY-----` and its kin write it. */
const KEY_MARKER = 'PRIVATE KEY-----';
/** A file larger than this is not read to clear its lines: they are withheld. */
const MAX_CHECKED_BYTES = 8 * 1024 * 1024;
/** Files read to clear the lines of one output; past that the lines are withheld. */
const MAX_CHECKED_FILES = 32;

/** A patch's hunk header, whose end repeats a line above the hunk as its context (`@@ -3,5 +3,5 @@ MIIE…`). */
const HUNK_HEADER = /^@@ [^@\n]{1,200} @@ ?/;

/** The prefix of a line before the text that could be a key's: a tool's line number, a patch's mark, a hunk header. */
function prefixOf(line: string): string {
  return HUNK_HEADER.exec(line)?.[0] ?? LINE_PREFIX.exec(line)![0];
}

/** True for a line whose text, after a tool's line prefix, could be a line of a key's body. */
export function looksLikeKeyLine(line: string): boolean {
  const body = line.slice(prefixOf(line).length).replace(/\r$/, '').trimEnd();
  if (body.length > 4_096 || !BASE64_LINE.test(body)) return false;
  // Random bytes in base64 mix all three classes; an identifier or a run of one letter does not.
  return /[0-9]/.test(body) && /[a-z]/.test(body) && /[A-Z]/.test(body);
}

/** True when the file holds a private key block marker; a file that cannot be read counts as holding one. */
async function holdsKey(abs: string, signal: AbortSignal): Promise<boolean> {
  try {
    const stat = await fs.promises.stat(abs);
    if (!stat.isFile() || stat.size > MAX_CHECKED_BYTES) return true;
    const text = await fs.promises.readFile(abs, { encoding: 'latin1', signal });
    return text.includes(KEY_MARKER);
  } catch (error) {
    if (signal.aborted) throw error;
    return true;
  }
}

/**
 * Whether the output's base64-only lines must be withheld as possibly a key's: yes when it has such lines and
 * either a file it shows holds a private key, or it shows no current file to ask (`fromFiles` false: patches of
 * history, an external tool's text).
 */
export async function keyLinesToWithhold(
  text: string,
  locations: readonly FileLocation[] | undefined,
  fromFiles: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  if (!text.split('\n').some(looksLikeKeyLine)) return false;
  if (!fromFiles || !locations || locations.length === 0) return true;
  const files = [...new Set(locations.map((l) => l.path))];
  if (files.length > MAX_CHECKED_FILES) return true;
  for (const file of files) if (await holdsKey(file, signal)) return true;
  return false;
}

/** The text with each line that looks like a key's body replaced by a note; how many were. */
export function withholdKeyLines(text: string): { text: string; count: number } {
  let count = 0;
  const lines = text.split('\n').map((line) => {
    if (!looksLikeKeyLine(line)) return line;
    count++;
    return `${prefixOf(line)}[withheld: a line that may be part of a private key]`;
  });
  return { text: lines.join('\n'), count };
}
