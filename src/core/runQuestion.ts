import type { ChatMessage, ModelClient, RunObserver, RunSettings, RunSummary } from '../shared/types';
import type { ToolRegistry } from './toolRegistry';

export interface RunInput {
  question: string;
  /** Earlier turns of the conversation, oldest first, so follow-up questions have their context. */
  history?: ChatMessage[];
  /** The planner's model; also the joiner's unless `joinerModel` is given. */
  model: ModelClient;
  joinerModel?: ModelClient;
  tools: ToolRegistry;
  /** Workspace roots, absolute. */
  roots: string[];
  settings?: Partial<RunSettings>;
  /** Aborting ends the run with outcome `cancelled`: model streams, tools and child processes stop. */
  signal?: AbortSignal;
  observer?: RunObserver;
  runId?: string;
}

/**
 * Answers one question in the mode of `settings.mode`. Resolves with the run summary (also sent as the `run-end`
 * event); cancellation and failures are outcomes, not rejections.
 */
export async function runQuestion(_input: RunInput): Promise<RunSummary> {
  throw new Error('runQuestion: being implemented');
}
