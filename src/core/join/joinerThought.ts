const LABEL = /^[ \t]*(?:\*\*)?thought(?:\*\*)?[ \t]*:(?:\*\*)?/i;

/** Thought lines as shown: labels dropped, trimmed. */
function normalize(lines: string[]): string[] {
  return lines.map((line) => line.replace(LABEL, '').trim());
}

function isLabelled(lines: string[]): boolean {
  const first = lines.find((line) => line.trim());
  return first !== undefined && LABEL.test(first);
}

/** Index of the first non-blank normalized line and of the blank line that ends its paragraph. */
function firstParagraph(lines: string[]): { start: number; end: number } {
  let start = 0;
  while (start < lines.length && !lines[start]) start++;
  let end = start;
  while (end < lines.length && lines[end]) end++;
  return { start, end };
}

/** The whole thought before the action. */
export function wholeThought(text: string): string {
  const lines = normalize(text.split('\n'));
  const { start } = firstParagraph(lines);
  let end = lines.length;
  while (end > start && !lines[end - 1]) end--;
  return lines.slice(start, end).join('\n');
}

/**
 * The part of the thought shown while no action has arrived, fed whole lines: the first paragraph of a labelled
 * thought. Unlabelled text, and later paragraphs, may turn out to be the answer of a model that skipped the format,
 * so they wait.
 */
export class VisibleThought {
  private labelled: boolean | undefined;
  private paragraph: 'before' | 'in' | 'after' = 'before';
  private shown = '';

  get text(): string {
    return this.shown;
  }

  addLine(raw: string): void {
    if (this.labelled === undefined) {
      if (!raw.trim()) return;
      this.labelled = LABEL.test(raw);
    }
    if (!this.labelled || this.paragraph === 'after') return;
    const [line] = normalize([raw]);
    if (line) {
      this.shown = this.paragraph === 'in' ? `${this.shown}\n${line}` : line;
      this.paragraph = 'in';
    } else if (this.paragraph === 'in') {
      this.paragraph = 'after';
    }
  }
}

/**
 * Splits output without any action into thought and answer. A labelled first paragraph followed by more text is
 * the thought; otherwise everything (less a leading label) is the answer.
 */
export function splitWithoutAction(text: string): { thought: string; answer: string } {
  const raw = text.split('\n');
  if (!isLabelled(raw)) return { thought: '', answer: text };
  const lines = normalize(raw);
  const { start, end } = firstParagraph(lines);
  const rest = raw.slice(end).join('\n');
  if (rest.trim()) return { thought: lines.slice(start, end).join('\n'), answer: rest };
  const labelled = raw.findIndex((line) => line.trim());
  return { thought: '', answer: [raw[labelled]!.replace(LABEL, ''), ...raw.slice(labelled + 1)].join('\n') };
}
