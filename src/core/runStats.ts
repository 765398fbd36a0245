import type { CompilerEvent, ErrorInfo, LlmCallStats, RunOutcome, RunSummary } from '../shared/types';

/** Builds the run summary from the run's own events, so every consumer reports the same figures. */
export class RunStats {
  private readonly calls: LlmCallStats[] = [];
  private readonly tasks: RunSummary['tasks'] = { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 };
  private readonly runningNow = new Set<number>();
  private sequentialToolMs = 0;
  private maxParallel = 0;
  private rounds = 0;

  readonly observe = (event: CompilerEvent): void => {
    switch (event.type) {
      case 'llm-end': {
        const { type: _type, t: _t, ...call } = event;
        this.calls.push(call);
        this.rounds = Math.max(this.rounds, event.round);
        break;
      }
      case 'task-started':
        this.runningNow.add(event.id);
        this.maxParallel = Math.max(this.maxParallel, this.runningNow.size);
        break;
      case 'task-finished':
        this.runningNow.delete(event.id);
        this.tasks.total++;
        this.tasks[event.status]++;
        if (event.status !== 'cached') this.sequentialToolMs += event.ms;
        break;
    }
  };

  summary(outcome: RunOutcome, wallMs: number, result: { answer?: string; error?: ErrorInfo }): RunSummary {
    return {
      outcome,
      ...(result.answer !== undefined ? { answer: result.answer } : {}),
      ...(result.error ? { error: result.error } : {}),
      llmCalls: this.calls.length,
      inputTokens: this.calls.reduce((n, c) => n + c.inputTokens, 0),
      outputTokens: this.calls.reduce((n, c) => n + c.outputTokens, 0),
      tokensEstimated: this.calls.some((c) => c.estimated),
      wallMs,
      rounds: this.rounds,
      tasks: { ...this.tasks },
      sequentialToolMs: this.sequentialToolMs,
      maxParallel: this.maxParallel,
      calls: [...this.calls],
    };
  }
}
