import type { PlanItem, PlannedTask } from './planTree';
import { ArgSyntaxError, parseArgs } from './argParser';
import { argRefs } from './argRefs';
import { CallScanner } from './callScanner';
import { classifyPlanLine } from './planLine';
import { END_OF_PLAN } from './stopMarkers';

/**
 * A line is judged from at most this many characters: one still undecided after them (a run of spaces, digits or
 * name characters with no call) is settled as if it ended there. Judging re-reads the line's beginning, so the bound
 * keeps long lines linear.
 */
const MAX_LINE_HEAD = 256;

/** A call whose closing parenthesis has not arrived yet. */
interface OpenCall {
  id: number | undefined;
  tool: string;
  line: number;
  /** The start line up to and including `(`. */
  head: string;
  /** Everything after `(` so far. */
  args: string;
  scanner: CallScanner;
  /** The line after the first, while it might still turn out to start a new task (a `)` was forgotten). */
  nextLine: string | undefined;
}

type Mode =
  | { kind: 'line' }
  | { kind: 'thought'; textStart: number }
  /** Prose, or whatever follows a finished call on its line: ignored up to the newline. */
  | { kind: 'skip' }
  /** A task-like line without a call, reported when the line ends so the error shows all of it. */
  | { kind: 'not-call'; head: string }
  | { kind: 'call'; call: OpenCall }
  | { kind: 'done' };

/**
 * Reads the planner's output as it streams: `push` text as it arrives, `flush` at the end. Each task is returned by
 * the `push` that delivers its closing parenthesis, so it can start before the planner finishes the line.
 * Everything is decided character by character, so how the text is split into chunks never changes the result.
 * `join()` ends the plan, as does `<END_OF_PLAN>`: models often add commentary after it.
 */
export class PlanParser {
  private mode: Mode = { kind: 'line' };
  /**
   * The current line so far, without its newline (not kept inside calls, which hold their own text, nor in lines
   * being skipped).
   */
  private text = '';
  /** The last characters of the current line, to see `<END_OF_PLAN>` arrive without re-reading the line. */
  private tail = '';
  private lineNo = 1;
  private thoughts: string[] = [];
  private out: PlanItem[] = [];

  push(chunk: string): PlanItem[] {
    let i = 0;
    while (i < chunk.length) {
      const kind = this.mode.kind;
      if (kind === 'done') break;
      if (kind === 'skip' || kind === 'thought' || kind === 'not-call') {
        i = this.rest(chunk, i);
        continue;
      }
      const ch = String.fromCodePoint(chunk.codePointAt(i)!);
      this.step(ch);
      i += ch.length;
    }
    return this.take();
  }

  /**
   * The rest of a line already judged (prose, thought, a task-like line without a call), read up to the newline at
   * once rather than character by character. Returns where reading stopped.
   */
  private rest(chunk: string, i: number): number {
    const newline = chunk.indexOf('\n', i);
    const end = newline < 0 ? chunk.length : newline;
    const part = chunk.slice(i, end);
    const seen = this.tail + part;
    const marker = seen.indexOf(END_OF_PLAN);
    if (marker >= 0) {
      if (this.mode.kind !== 'skip') this.text = (this.text + part).slice(0, this.text.length - this.tail.length + marker);
      this.endLine();
      this.mode = { kind: 'done' };
      return chunk.length;
    }
    if (this.mode.kind !== 'skip') this.text += part;
    this.tail = seen.slice(-(END_OF_PLAN.length - 1));
    if (newline < 0) return end;
    this.endLine();
    this.newLine();
    return end + 1;
  }

  flush(): PlanItem[] {
    const mode = this.mode;
    if (mode.kind === 'call') this.unclosed(mode.call, `the plan ended inside ${mode.call.tool}(`);
    else if (mode.kind !== 'done') this.endLine();
    this.mode = { kind: 'done' };
    return this.take();
  }

  private take(): PlanItem[] {
    const items = this.out;
    this.out = [];
    return items;
  }

  private step(ch: string): void {
    const mode = this.mode;
    if (mode.kind === 'done') return;
    if (mode.kind === 'call') {
      this.stepCall(mode.call, ch);
      return;
    }
    if (ch === '\n') {
      this.endLine();
      this.newLine();
      return;
    }
    if (mode.kind === 'line') {
      this.text += ch;
      this.classify();
      return;
    }
    this.rest(ch, 0);
  }

  private newLine(): void {
    this.lineNo++;
    this.text = '';
    this.tail = '';
    if (this.mode.kind !== 'done') this.mode = { kind: 'line' };
  }

  /** Settles the current line once it has arrived in part; a call starts here, the moment its `(` arrives. */
  private classify(): void {
    const line = classifyPlanLine(this.text, this.text.length > MAX_LINE_HEAD);
    switch (line.kind) {
      case 'pending':
        return;
      case 'prose':
        this.mode = { kind: 'skip' };
        this.tail = this.text.slice(1 - END_OF_PLAN.length);
        this.text = '';
        return;
      case 'thought':
        this.mode = { kind: 'thought', textStart: line.textStart };
        this.tail = this.text.slice(1 - END_OF_PLAN.length);
        return;
      case 'not-call':
        this.mode = { kind: 'not-call', head: line.head };
        this.tail = this.text.slice(1 - END_OF_PLAN.length);
        return;
      case 'end':
        this.mode = { kind: 'done' };
        return;
      case 'call': {
        const call: OpenCall = {
          id: line.id,
          tool: line.tool,
          line: this.lineNo,
          head: this.text.slice(0, line.open + 1),
          args: '',
          scanner: new CallScanner(),
          nextLine: undefined,
        };
        const rest = this.text.slice(line.open + 1);
        this.text = '';
        this.mode = { kind: 'call', call };
        for (const ch of rest) this.step(ch);
        return;
      }
    }
  }

  /** The current line is complete (newline, stop marker or end of input). */
  private endLine(): void {
    let mode = this.mode;
    if (mode.kind === 'line') {
      const line = classifyPlanLine(this.text, true);
      if (line.kind === 'thought') mode = { kind: 'thought', textStart: line.textStart };
      else if (line.kind === 'not-call') mode = { kind: 'not-call', head: line.head };
      else if (line.kind === 'end') this.mode = { kind: 'done' };
    }
    if (mode.kind === 'thought') {
      const thought = this.text.slice(mode.textStart).trim();
      if (thought) this.thoughts.push(thought);
    } else if (mode.kind === 'not-call') {
      this.error(this.lineNo, this.text, `line ${this.lineNo}: expected a tool call like name(args) after "${mode.head}"`);
    }
  }

  private stepCall(call: OpenCall, ch: string): void {
    call.args += ch;
    const state = call.scanner.feed(ch);
    if (state === 'closed') {
      this.mode = { kind: 'skip' };
      this.text = '';
      this.closeCall(call);
      return;
    }
    if (state === 'broken-string') {
      this.error(call.line, call.head + call.args, `line ${this.lineNo}: unterminated string in arguments of ${call.tool}`);
      this.mode = { kind: 'line' };
      this.newLine();
      return;
    }
    if (ch === '\n') {
      this.lineNo++;
      call.nextLine = '';
      return;
    }
    if (call.nextLine === undefined) return;
    call.nextLine += ch;
    const next = classifyPlanLine(call.nextLine, call.nextLine.length > MAX_LINE_HEAD);
    if (next.kind === 'pending') return;
    if (next.kind === 'prose' || next.kind === 'not-call') {
      call.nextLine = undefined;
      return;
    }
    // A new task, thought or the stop marker: the call was never closed. Report it and read the line afresh.
    const text = call.nextLine;
    call.args = call.args.slice(0, -text.length);
    this.unclosed(
      call,
      next.kind === 'end' ? `the plan ended inside ${call.tool}(` : `${call.tool}( is not closed before line ${this.lineNo}`,
    );
    this.mode = { kind: 'line' };
    this.text = '';
    for (const c of text) this.step(c);
  }

  private unclosed(call: OpenCall, what: string): void {
    const message = call.scanner.inString
      ? `line ${this.lineNo}: unterminated string in arguments of ${call.tool}`
      : `line ${call.line}: unbalanced parentheses: ${what}`;
    this.error(call.line, call.head + call.args, message);
  }

  private closeCall(call: OpenCall): void {
    const source = (call.head + call.args).trim().replace(/\r\n/g, '\n');
    if (call.tool.toLowerCase() === 'join') {
      this.out.push({ kind: 'join', line: call.line, ...this.takeThought() });
      this.mode = { kind: 'done' };
      return;
    }
    const argsText = call.args.slice(0, -1);
    let task: PlannedTask;
    try {
      const args = parseArgs(argsText);
      task = { id: call.id!, tool: call.tool, args, deps: argRefs(args), source, line: call.line, ...this.takeThought() };
    } catch (error) {
      if (!(error instanceof ArgSyntaxError)) throw error;
      this.error(call.line, source, this.argErrorMessage(call, argsText, error));
      return;
    }
    this.out.push({ kind: 'task', task });
  }

  /** Names the line and column of the error within the planner's output, not within the argument text. */
  private argErrorMessage(call: OpenCall, argsText: string, error: ArgSyntaxError): string {
    const before = call.head + argsText.slice(0, error.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = call.line + (before.match(/\n/g)?.length ?? 0);
    const column = before.length - lineStart + 1;
    return `line ${line}: ${error.message}${error.showColumn ? ` at column ${column}` : ''}`;
  }

  private takeThought(): { thought?: string } {
    if (this.thoughts.length === 0) return {};
    const thought = this.thoughts.join('\n');
    this.thoughts = [];
    return { thought };
  }

  private error(line: number, source: string, message: string): void {
    this.thoughts = [];
    this.out.push({
      kind: 'error',
      error: { reason: 'plan-syntax', message },
      line,
      source: source.trim().replace(/\r\n/g, '\n'),
    });
  }
}
