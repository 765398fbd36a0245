import type { RunObserver, RunSummary } from '../shared/runEvents';
import { ProgressLines } from '../surfaces/progressLines';
import { MODEL_PURPOSES } from '../shared/modes';

const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const errorInfo = {
  type: 'object',
  properties: { reason: { type: 'string' }, message: { type: 'string' } },
  required: ['reason', 'message'],
} as const;

/** JSON schema of the `ask` tool's structured result: the CLI's `--json` summary line. */
export const ASK_OUTPUT_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string', const: 'summary' },
    outcome: { type: 'string', enum: ['answered', 'cancelled', 'failed'] },
    answer: { type: 'string', description: 'The answer, with path:line citations.' },
    error: errorInfo,
    llmCalls: count,
    readAheads: { ...count, description: 'Read-aheads of the joiner’s prompt into a local server’s cache, counted apart from llmCalls; absent when none.' },
    inputTokens: count,
    outputTokens: count,
    tokensEstimated: { type: 'boolean', description: 'True when some model call reported no usage and tokens were counted here.' },
    wallMs: ms,
    rounds: count,
    tasks: {
      type: 'object',
      properties: { total: count, ok: count, error: count, skipped: count, cancelled: count, cached: count },
      required: ['total', 'ok', 'error', 'skipped', 'cancelled', 'cached'],
    },
    sequentialToolMs: { ...ms, description: 'The tasks’ tool time added up: what running them one after another would take.' },
    maxParallel: count,
    calls: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          call: count,
          purpose: { type: 'string', enum: [...MODEL_PURPOSES] },
          round: count,
          inputTokens: count,
          outputTokens: count,
          estimated: { type: 'boolean' },
          start: ms,
          end: ms,
          firstTokenMs: ms,
        },
        required: ['call', 'purpose', 'round', 'inputTokens', 'outputTokens', 'estimated', 'start', 'end'],
      },
    },
    exitCode: { type: 'integer', description: 'What `llm-compiler ask` would exit with: 0 answered, 1 failed, 3 no model server, 130 cancelled.' },
  },
  required: ['type', 'outcome', 'llmCalls', 'inputTokens', 'outputTokens', 'tokensEstimated', 'wallMs', 'rounds', 'tasks', 'sequentialToolMs', 'maxParallel', 'calls', 'exitCode'],
};

/** One progress report: `progress` grows with every report, `total` is the tasks planned so far. */
export interface AskProgress {
  progress: number;
  total: number;
  message: string;
}

/** Turns a run's events into one progress report per finished task, worded as the Chat view words them. */
export function askProgress(report: (progress: AskProgress) => void): RunObserver {
  const lines = new ProgressLines();
  let planned = 0;
  let finished = 0;
  return (event) => {
    const text = lines.lines(event);
    if (event.type === 'task-planned') planned++;
    if (event.type !== 'task-finished') return;
    finished++;
    report({ progress: finished, total: Math.max(planned, finished), message: text.join(' ') });
  };
}

/** The text an agent reads: the answer, or why there is none, with `advice` on what the server's user can do. */
export function askResultText(summary: RunSummary, advice?: string): string {
  if (summary.outcome === 'answered') return summary.answer ?? '';
  if (summary.outcome === 'cancelled') return 'The question was cancelled.';
  return `The question could not be answered: ${summary.error?.message ?? 'the run failed'}${advice ? `\n${advice}` : ''}`;
}
