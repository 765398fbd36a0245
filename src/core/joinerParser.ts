import { ActionBody } from './actionBody';
import { CompilerError } from './errors';
import { findJoinerAction } from './joinerAction';
import { splitWithoutAction, visibleThought, wholeThought } from './joinerThought';

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
  private pre = '';
  private thought = '';
  private action: { kind: 'finish' | 'replan'; body: ActionBody } | undefined;
  private ended = false;

  push(chunk: string): JoinerDelta[] {
    const deltas: JoinerDelta[] = [];
    if (this.ended) return deltas;
    if (!this.action) {
      this.pre += chunk;
      const found = findJoinerAction(this.pre);
      if (!found) {
        this.addThought(deltas, visibleThought(this.pre));
        return deltas;
      }
      this.addThought(deltas, wholeThought(this.pre.slice(0, found.start)));
      this.action = { kind: found.kind, body: new ActionBody(found.form) };
      chunk = this.pre.slice(found.end);
      this.pre = '';
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

  private addThought(deltas: JoinerDelta[], thought: string): void {
    if (thought.length <= this.thought.length || !thought.startsWith(this.thought)) return;
    deltas.push({ kind: 'thought', text: thought.slice(this.thought.length) });
    this.thought = thought;
  }

  private addBody(deltas: JoinerDelta[], text: string): void {
    if (this.action?.kind === 'finish' && text) deltas.push({ kind: 'answer', text });
  }
}
