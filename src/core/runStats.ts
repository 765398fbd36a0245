import type { CompilerEvent, LlmCallStats, RunOutcome, RunSummary } from '../shared/runEvents';
import type { ErrorInfo } from '../base/errors';
import { EMPTY_TALLY, tallyEvent } from '../shared/runTally';
import type { RunTally } from '../shared/runTally';

/** Builds the run summary from the run's own events, so every consumer reports the same figures. */
export class RunStats {
  private readonly calls: LlmCallStats[] = [];
  private tally: RunTally = EMPTY_TALLY;
  private rounds = 0;

  readonly observe = (event: CompilerEvent): void => {
    this.tally = tallyEvent(this.tally, event);
    if (event.type === 'llm-end') {
      const { type: _type, t: _t, ...call } = event;
      this.calls.push(call);
      this.rounds = Math.max(this.rounds, event.round);
    }
  };

  summary(outcome: RunOutcome, wallMs: number, result: { answer?: string; error?: ErrorInfo }): RunSummary {
    const { llmCalls, readAheads, inputTokens, outputTokens, tokensEstimated, tasks, sequentialToolMs, savedToolMs, maxParallel } = this.tally;
    return {
      outcome,
      ...(result.answer !== undefined ? { answer: result.answer } : {}),
      ...(result.error ? { error: result.error } : {}),
      llmCalls,
      ...(readAheads > 0 ? { readAheads } : {}),
      inputTokens,
      outputTokens,
      tokensEstimated,
      wallMs,
      rounds: this.rounds,
      tasks: { ...tasks },
      sequentialToolMs,
      savedToolMs,
      maxParallel,
      calls: [...this.calls],
    };
  }
}
