import type { CompilerEvent, EventOf, RunSummary, TaskStatus } from '../shared/runEvents';
import { modeName, runFigures } from '../surfaces/runFooter';
import type { Style } from './cliStyle';
import { formatCount, formatMs } from '../shared/format';
import { PURPOSE_LABELS } from '../shared/modes';
import type { ModelPurpose, RunMode } from '../shared/modes';

export interface TextSink {
  write(text: string): unknown;
}

const STATUS_MARK: Record<TaskStatus, string> = { ok: '✓', cached: '≡', error: '✗', skipped: '↷', cancelled: '⊘' };

/**
 * What a person watches: the plan as it runs on stderr (every task planned, started and finished, with status and
 * time), the answer streamed on stdout, then a footer of the run's figures on stderr: stdout holds the answer alone.
 */
export class HumanView {
  private answerOpen = false;
  private answerEndsWithNewline = true;
  private mode: RunMode = 'compiler';

  constructor(
    private readonly out: TextSink,
    private readonly err: TextSink,
    private readonly errStyle: Style,
    private readonly options: { verbose: boolean } = { verbose: false },
  ) {}

  readonly observe = (event: CompilerEvent): void => {
    const s = this.errStyle;
    switch (event.type) {
      case 'run-start':
        this.mode = event.mode;
        return this.line(event.t, s.dim(`${event.mode} · ${event.model} · run ${shortRunId(event.runId)}`));
      case 'context':
        // An assumption, or a default too small for the prompts, is always said; the context itself when asked.
        if (event.note) return this.line(event.t, s.yellow(event.note));
        if (this.options.verbose) return this.line(event.t, s.dim(`context: ${formatCount(event.tokens)} tokens (${event.source})`));
        return;
      case 'llm-start':
        return this.line(event.t, s.dim(`${callName(event.purpose, event.round)} …`));
      case 'llm-end':
        return this.line(event.t, this.callEnded(event));
      case 'plan-error':
        return this.line(event.t, s.yellow(`plan line ${event.line} not run (${event.error.reason}): ${event.error.message}`));
      case 'task-planned':
        return this.line(
          event.t,
          `${s.bold(`${event.id}.`)} ${event.tool}(${event.args})${event.deps.length ? s.dim(`  after ${event.deps.map((d) => `$${d}`).join(', ')}`) : ''}`,
        );
      case 'task-started':
        return this.line(event.t, s.cyan(`▸ ${event.id} ${event.tool}`));
      case 'task-finished':
        return this.line(event.t, this.finished(event));
      case 'thought':
        return this.line(event.t, s.dim(`Thought: ${event.text}`));
      case 'replan':
        return this.line(event.t, s.yellow(`replanning: ${event.reason}`));
      case 'answer-delta':
        this.answerOpen = true;
        this.answerEndsWithNewline = event.text.endsWith('\n');
        this.out.write(event.text);
        return;
      default:
        return;
    }
  };

  /** Closes the answer's line and prints the footer (answered runs) on stderr. */
  finish(summary: RunSummary): void {
    if (summary.outcome !== 'answered') return;
    if (this.answerOpen && !this.answerEndsWithNewline) this.out.write('\n');
    this.err.write(`\n${this.errStyle.dim(`${modeName(this.mode)} · ${runFigures(summary)}`)}\n`);
  }

  private callEnded(event: EventOf<'llm-end'>): string {
    const s = this.errStyle;
    const name = callName(event.purpose, event.round);
    const took = formatMs(event.end - event.start);
    const counts = `(${tokens(event.inputTokens, event.estimated)} in, ${tokens(event.outputTokens, event.estimated)} out)`;
    switch (event.outcome ?? 'ok') {
      case 'ok':
        return s.dim(`${name} done in ${took} ${counts}`);
      case 'truncated':
        return s.yellow(`${name} stopped at the output limit after ${took} ${counts}`);
      case 'cancelled':
        return s.yellow(`${name} cancelled after ${took}`);
      case 'failed':
        return s.red(`${name} failed after ${took}${event.error ? ` (${event.error.reason})` : ''}`);
    }
  }

  private finished(event: EventOf<'task-finished'>): string {
    const s = this.errStyle;
    const head = `${STATUS_MARK[event.status]} ${event.id} ${event.tool} ${event.status}`;
    const ms = event.status === 'ok' || event.status === 'error' ? ` ${Math.round(event.ms)} ms` : '';
    const detail =
      event.status === 'cached' && event.cachedFrom !== undefined
        ? event.cachedFromRun !== undefined
          ? ` (result of task ${event.cachedFrom} of run ${shortRunId(event.cachedFromRun)}, still valid; checked in ${Math.round(event.ms)} ms)`
          : ` (same call as ${event.cachedFrom})`
        : event.error
          ? ` — ${event.error.message}`
          : '';
    const text = `${head}${ms}${detail}`;
    return event.status === 'ok' || event.status === 'cached' ? s.green(text) : event.status === 'error' ? s.red(text) : s.yellow(text);
  }

  private line(t: number, text: string): void {
    // On a terminal both streams share the screen: end the answer's line before the next progress line.
    if (this.answerOpen && !this.answerEndsWithNewline) {
      this.out.write('\n');
      this.answerEndsWithNewline = true;
    }
    this.err.write(`${this.errStyle.dim(formatMs(t).padStart(8))}  ${text}\n`);
  }
}

/** Enough of a run id to tell the runs of one session apart. */
function shortRunId(runId: string): string {
  return runId.slice(0, 8);
}

function callName(purpose: ModelPurpose, round: number): string {
  return `${PURPOSE_LABELS[purpose].cliName} ${round}`;
}

function tokens(n: number, estimated: boolean): string {
  return `${estimated ? '~' : ''}${n.toLocaleString('en-US')}`;
}
