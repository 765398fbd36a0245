// Finds `path:line` citations in answer markdown, so the Chat view can turn them into clickable anchors. Only the
// syntax is checked here; whether the file exists is the caller's question.
import { inertMarkdown } from './inertMarkdown';

export interface Citation {
  /** As written, e.g. `src/a.ts:12-20` (without surrounding backticks). */
  text: string;
  path: string;
  line: number;
  column?: number;
  endLine?: number;
}

/** `raw` is the citation exactly as written, backticks included, for when it cannot be linked. */
export type AnswerSegment = { kind: 'text'; text: string } | ({ kind: 'cite'; raw: string } & Citation);

// path:line[:col][-end] or path#Lline[-Lend]; the path needs a `.` or `/` so `12:30` is not a citation.
const PATH = String.raw`[\w.@+~-]+(?:[\\/][\w.@+~-]+)*`;
const CITE_BODY = String.raw`(${PATH})(?::(\d+)(?::(\d+))?(?:[-–](\d+))?|#L(\d+)(?:-L?(\d+))?)`;
const CITE_EXACT = new RegExp(String.raw`^${CITE_BODY}$`);
// An inline code span, or a bare citation.
const TOKEN = new RegExp(String.raw`(\`+)([^\`\n]*?)\1|${CITE_BODY}(?![\w])`, 'g');
/** Characters that, right before a bare citation, mean it is part of something else (a URL, a longer path). */
const JOINED_BEFORE = /[\w./\\:@~+-]$/;

export function parseCitation(text: string): Citation | undefined {
  const m = CITE_EXACT.exec(text);
  return m ? fromMatch(text, m.slice(1)) : undefined;
}

function fromMatch(text: string, g: Array<string | undefined>): Citation | undefined {
  const [path, line, column, endLine, hashLine, hashEnd] = g;
  if (!path || !/[./\\]/.test(path) || /^\.+$/.test(path)) return undefined;
  const start = Number(line ?? hashLine);
  if (!Number.isInteger(start) || start < 1) return undefined;
  const end = endLine ?? hashEnd;
  const cite: Citation = { text, path, line: start };
  if (column) cite.column = Number(column);
  if (end && Number(end) >= start) cite.endLine = Number(end);
  return cite;
}

/**
 * Splits one complete piece of markdown (no open code span, not inside a fenced block) into text and citations.
 * A citation alone in a code span (`` `src/a.ts:3` ``) becomes a citation without its backticks; citations in
 * longer code spans and in link syntax stay text.
 */
export function splitCitations(markdown: string): AnswerSegment[] {
  const out: AnswerSegment[] = [];
  let last = 0;
  const text = (to: number) => {
    if (to > last) pushText(out, markdown.slice(last, to));
  };
  for (const m of markdown.matchAll(TOKEN)) {
    const at = m.index;
    let cite: Citation | undefined;
    if (m[1] !== undefined) {
      cite = parseCitation(m[2]!.trim());
    } else {
      const before = markdown.slice(0, at);
      const after = markdown.slice(at + m[0].length);
      const inLink = /\]\($/.test(before) || (/\[$/.test(before) && after.startsWith(']('));
      if (!JOINED_BEFORE.test(before) && !inLink) cite = fromMatch(m[0], m.slice(3));
    }
    if (!cite) continue;
    text(at);
    out.push({ kind: 'cite', raw: m[0], ...cite });
    last = at + m[0].length;
  }
  text(markdown.length);
  return out;
}

function pushText(out: AnswerSegment[], text: string): void {
  const prev = out[out.length - 1];
  if (prev?.kind === 'text') prev.text += text;
  else out.push({ kind: 'text', text });
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** A line start that may still turn into a fence once more characters arrive. */
const MAYBE_FENCE = /^ {0,3}(`{0,2}|~{0,2})$/;

/**
 * Splits streamed answer markdown into segments as the deltas arrive. Text is held back only as long as a
 * citation or code span may still be incomplete: up to the last whitespace of the current line. Nothing inside
 * fenced code blocks is linked.
 */
export class CitationStream {
  /**
   * `prepare` turns text outside code blocks into what the view shows: by default markdown made inert (see
   * `inertMarkdown`), for views that render markdown; a view that shows plain text keeps it as written.
   */
  constructor(private readonly prepare: (text: string) => string = inertMarkdown) {}

  /** The current line as received so far. */
  private line = '';
  /** How much of `line` was already handed out. */
  private sent = 0;
  private fence: string | undefined;

  push(delta: string): AnswerSegment[] {
    const out: AnswerSegment[] = [];
    for (const piece of delta.split(/(?<=\n)/)) {
      if (!piece) continue;
      this.line += piece;
      if (piece.endsWith('\n')) {
        out.push(...this.flushLine());
      } else {
        out.push(...this.flushPartial());
      }
    }
    return merge(out);
  }

  /** Hands out whatever is held back; call once the answer is complete. */
  end(): AnswerSegment[] {
    return merge(this.flushLine());
  }

  private flushLine(): AnswerSegment[] {
    const rest = this.line.slice(this.sent);
    const fence = FENCE.exec(this.line)?.[1];
    const code = this.fence !== undefined || fence !== undefined;
    if (fence !== undefined) {
      if (this.fence === undefined) this.fence = fence;
      else if (fence[0] === this.fence[0] && fence.length >= this.fence.length) this.fence = undefined;
    }
    this.line = '';
    this.sent = 0;
    if (!rest) return [];
    return code ? [{ kind: 'text', text: rest }] : this.prepared(splitCitations(rest));
  }

  private flushPartial(): AnswerSegment[] {
    if (this.sent === 0 && MAYBE_FENCE.test(this.line)) return [];
    if (this.fence !== undefined || FENCE.test(this.line)) {
      const rest = this.line.slice(this.sent);
      this.sent = this.line.length;
      return rest ? [{ kind: 'text', text: rest }] : [];
    }
    const limit = openCodeSpan(this.line) ?? this.line.length;
    let cut = -1;
    for (let i = limit - 1; i >= this.sent; i--) {
      if (/\s/.test(this.line[i]!)) {
        cut = i + 1;
        break;
      }
    }
    if (cut <= this.sent) return [];
    const piece = this.line.slice(this.sent, cut);
    this.sent = cut;
    return this.prepared(splitCitations(piece));
  }

  /** By default, text outside code blocks made inert: the answer can carry no remote image or outside link into the view. */
  private prepared(segments: AnswerSegment[]): AnswerSegment[] {
    return segments.map((s) => (s.kind === 'text' ? { kind: 'text', text: this.prepare(s.text) } : s));
  }
}

/** Where a code span that is still open at the end of `line` starts, if one is. */
function openCodeSpan(line: string): number | undefined {
  let open: { at: number; ticks: number } | undefined;
  for (const m of line.matchAll(/`+/g)) {
    if (!open) open = { at: m.index, ticks: m[0].length };
    else if (m[0].length === open.ticks) open = undefined;
  }
  return open?.at;
}

function merge(segments: AnswerSegment[]): AnswerSegment[] {
  const out: AnswerSegment[] = [];
  for (const s of segments) {
    if (s.kind === 'text') pushText(out, s.text);
    else out.push(s);
  }
  return out;
}
