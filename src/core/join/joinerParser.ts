import { ActionBody } from './actionBody';
import { CompilerError } from '../../base/errors';
import { MAX_ACTION_LENGTH, findJoinerAction, trailingActionLabel } from './joinerAction';
import { splitWithoutAction, VisibleThought, wholeThought } from './joinerThought';

export type JoinerDelta = { kind: 'thought'; text: string } | { kind: 'answer'; text: string };

/**
 * The joiner's decision. `deltas` are the last deltas, held back by `push` until the end was known. The thought
 * is all the thought deltas together, the answer all the answer deltas together.
 */
export type JoinerDecision =
  | { decision: 'finish'; answer: string; thought: string; deltas: JoinerDelta[] }
  | { decision: 'replan'; reason: string; thought: string; deltas: JoinerDelta[] };

/**
 * Reads the joiner's output as it streams:
 *
 *     Thought: <free text>
 *     Action: Finish(<markdown answer>)   or   Action: Replan(<what is missing>)
 *
 * `push` returns the thought line by line and the answer as it arrives, holding back only what may be the end of
 * the action (see `ActionBody`). Tolerates what models actually write: no `Thought:`, no `Action:` before
 * `Finish(`, `Finish:` instead of parentheses, a missing `)`, a quoted answer, lower case, `**Action:**`; and with
 * no Finish or Replan at all, the text itself is the answer.
 */
export class JoinerParser {
  /** All text before the action; read whole only when the action or the end arrives. */
  private pre = '';
  /**
   * The end of `pre` where an action can still begin: the current line, or from an `Action:` label that waits for
   * its name. Searching only here keeps long outputs linear.
   */
  private window = '';
  /** 1 when `window` starts with the newline that ended an already-read line. */
  private windowLead = 0;
  /** How much of `window` has been searched for an action: only its last `MAX_ACTION_LENGTH` characters are again. */
  private searched = 0;
  /**
   * The end of `window` that the next search reads (one character more, for `\b`). Searching `window` itself would
   * copy all of it on every chunk while a long line arrives.
   */
  private recent = '';
  private visible = new VisibleThought();
  private thought = '';
  private action: { kind: 'finish' | 'replan'; body: ActionBody } | undefined;
  private ended = false;

  push(chunk: string): JoinerDelta[] {
    const deltas: JoinerDelta[] = [];
    if (this.ended) return deltas;
    if (!this.action) {
      this.pre += chunk;
      this.window += chunk;
      this.recent += chunk;
      const recentStart = this.window.length - this.recent.length;
      const from = Math.max(0, this.searched - MAX_ACTION_LENGTH);
      const found = findJoinerAction(this.recent, from - recentStart);
      this.searched = this.window.length;
      this.recent = this.recent.slice(-(MAX_ACTION_LENGTH + 1));
      if (!found) {
        if (chunk.includes('\n')) this.readLines(deltas);
        return deltas;
      }
      const base = this.pre.length - this.window.length + recentStart;
      this.addThought(deltas, wholeThought(this.pre.slice(0, base + found.start)));
      this.action = { kind: found.kind, body: new ActionBody(found.form) };
      chunk = this.pre.slice(base + found.end);
      this.pre = this.window = this.recent = '';
    }
    this.addBody(deltas, this.action.body.push(chunk));
    return deltas;
  }

  /** Ends the stream. Throws a `joiner-format` error when there is no answer at all. */
  flush(): JoinerDecision {
    const deltas: JoinerDelta[] = [];
    this.ended = true;
    if (!this.action) {
      const { thought, answer } = splitWithoutAction(this.pre);
      this.addThought(deltas, thought);
      this.action = { kind: 'finish', body: new ActionBody('colon') };
      this.addBody(deltas, this.action.body.push(answer));
    }
    const { kind, body } = this.action;
    this.addBody(deltas, body.end());
    if (kind === 'replan') return { decision: 'replan', reason: body.text, thought: this.thought, deltas };
    if (!body.text) throw new CompilerError('joiner-format', 'The joiner wrote no answer');
    return { decision: 'finish', answer: body.text, thought: this.thought, deltas };
  }

  /** Moves the complete lines out of the window into the visible thought, unless an `Action:` label holds them. */
  private readLines(deltas: JoinerDelta[]): void {
    const window = this.window;
    const lastNewline = window.lastIndexOf('\n');
    if (lastNewline < 0) return;
    const label = trailingActionLabel(window.slice(0, lastNewline + 1));
    const keepFrom = label === undefined ? lastNewline : window.lastIndexOf('\n', label - 1);
    if (keepFrom < this.windowLead) return;
    for (const line of window.slice(this.windowLead, keepFrom).split('\n')) this.visible.addLine(line);
    this.window = window.slice(keepFrom);
    this.searched = Math.max(0, this.searched - keepFrom);
    if (this.recent.length > this.window.length) this.recent = this.window;
    this.windowLead = 1;
    this.addThought(deltas, this.visible.text);
  }

  private addThought(deltas: JoinerDelta[], thought: string): void {
    if (thought.length <= this.thought.length || !thought.startsWith(this.thought)) return;
    deltas.push({ kind: 'thought', text: thought.slice(this.thought.length) });
    this.thought = thought;
  }

  private addBody(deltas: JoinerDelta[], text: string): void {
    if (this.action?.kind === 'finish' && text) deltas.push({ kind: 'answer', text });
  }
}
