import { RE2JS } from 're2js';
import { GITLEAKS_TOKEN_RULES } from './gitleaksRules';
import type { TokenRule } from './gitleaksRules';

/** A stretch of text to withhold, and what it held. */
interface Span {
  start: number;
  end: number;
  what: string;
}

export interface ScanResult {
  text: string;
  /** What was withheld, one entry per kind (`a private key`, `a token (gitleaks rule github-pat)`), in order. */
  withheld: string[];
  /**
   * The withheld strings themselves (a key by its lines), to withhold them too where they appear apart from what
   * gave them away: a tool's structured value holds a key's lines one by one.
   */
  secrets: Array<{ secret: string; what: string }>;
}

/** Characters after a `BEGIN … PRIVATE KEY` line within which its `END` line is looked for. */
const MAX_KEY_CHARS = 64 * 1024;
const BEGIN = /^-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/;
const END = /^-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/;
/** What a tool puts before a file's line (`12: `, `  12- `) and a patch before its lines (`+`, `-`, ` `). */
const LINE_PREFIX = /^\s{0,16}(?:\d{1,12}[:-] ?)?[+\- ]?/;
/** A line of a key's body: base64, or a PEM header (`Proc-Type: 4,ENCRYPTED`). */
const KEY_BODY = /^(?:[A-Za-z0-9+/=]{1,200}|[A-Za-z-]{1,40}: [^\n]{0,200})$/;

function keyWithoutEnd(text: string, from: number): number {
  // The marker's own line may go on with the body (a key written on one line with `\n` escapes).
  const newline = text.indexOf('\n', from);
  let end = newline < 0 ? text.length : newline;
  let bodyChars = 0;
  for (let k = from; k < Math.min(end, from + 4_096); k++) if (/[A-Za-z0-9+/=]/.test(text[k]!)) bodyChars++;
  if (newline < 0) return bodyChars >= 32 ? end : from;
  for (let lines = 0; lines < 2_000; lines++) {
    const next = text.indexOf('\n', end + 1);
    const lineEnd = next < 0 ? text.length : next;
    const line = text.slice(end + 1, lineEnd).replace(/\r$/, '');
    const body = line.slice(LINE_PREFIX.exec(line)![0].length);
    if (body !== '' && !KEY_BODY.test(body)) break;
    bodyChars += body.length;
    end = lineEnd;
    if (next < 0) break;
  }
  // A marker with no key after it (a string in code that names it) holds nothing secret.
  return bodyChars >= 32 ? end : from;
}

/**
 * Private key blocks, found by hand in one pass: each `-----BEGIN … PRIVATE KEY-----` up to its `END` line, or, when
 * the output was cut before it, over the lines that look like the key's body.
 */
function privateKeys(text: string): Span[] {
  const spans: Span[] = [];
  for (let i = text.indexOf('-----BEGIN'); i >= 0; i = text.indexOf('-----BEGIN', i + 1)) {
    const head = BEGIN.exec(text.slice(i, i + 140).toUpperCase());
    if (!head) continue;
    const bodyStart = i + head[0].length;
    let end = -1;
    for (let j = text.indexOf('-----END', bodyStart); j >= 0 && j - bodyStart <= MAX_KEY_CHARS; j = text.indexOf('-----END', j + 1)) {
      const tail = END.exec(text.slice(j, j + 140).toUpperCase());
      if (tail) {
        end = j + tail[0].length;
        break;
      }
    }
    if (end < 0) end = keyWithoutEnd(text, bodyStart);
    if (end > bodyStart) {
      spans.push({ start: i, end, what: 'a private key' });
      i = end - 1;
    }
  }
  return spans;
}

/** A withheld line shorter than this is not looked for elsewhere (it would match ordinary text). */
const MIN_SECRET_PIECE = 16;

const compiled = new Map<string, RE2JS>();

function compile(rule: TokenRule): RE2JS {
  let re = compiled.get(rule.id);
  if (!re) {
    re = RE2JS.compile(rule.regex);
    compiled.set(rule.id, re);
  }
  return re;
}

/**
 * Tokens of the gitleaks rules. A rule runs only when the text holds one of its keywords (as gitleaks does); each
 * runs on RE2, linear in the text. The secret is the rule's first group when it has one, else the whole match.
 */
function tokens(text: string): Span[] {
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  for (const rule of GITLEAKS_TOKEN_RULES) {
    if (!rule.keywords.some((k) => lower.includes(k))) continue;
    const re = compile(rule);
    const m = re.matcher(text);
    const what = `a token (gitleaks rule ${rule.id})`;
    while (m.find()) {
      const group = re.groupCount() > 0 && m.start(1) >= 0 ? 1 : 0;
      if (m.end(group) > m.start(group)) spans.push({ start: m.start(group), end: m.end(group), what });
    }
  }
  return spans;
}

/**
 * Withholds private keys and well-known tokens from a text a tool is about to return, each replaced by a note
 * naming what it was. Linear in the text: the key search is hand-written, the token rules run on RE2.
 */
export function withholdSecrets(text: string): ScanResult {
  if (text.length < 8) return { text, withheld: [], secrets: [] };
  const spans = [...privateKeys(text), ...tokens(text)].sort((a, b) => a.start - b.start || b.end - a.end);
  if (spans.length === 0) return { text, withheld: [], secrets: [] };
  const parts: string[] = [];
  const withheld: string[] = [];
  const secrets = new Map<string, string>();
  let at = 0;
  for (const span of spans) {
    // A span overlapping one already withheld goes with it, all of it.
    if (span.start < at) {
      at = Math.max(at, span.end);
      continue;
    }
    parts.push(text.slice(at, span.start), `[withheld: ${span.what}]`);
    if (!withheld.includes(span.what)) withheld.push(span.what);
    for (const line of text.slice(span.start, span.end).split('\n')) {
      const piece = line.slice(LINE_PREFIX.exec(line)![0].length).replace(/\r$/, '');
      if (piece.length >= MIN_SECRET_PIECE && !piece.startsWith('-----')) secrets.set(piece, span.what);
    }
    at = span.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), withheld, secrets: [...secrets].map(([secret, what]) => ({ secret, what })) };
}
