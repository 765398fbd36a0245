import type { ChatMessage, ModelClient } from '../shared/modelContract';
import type { ContextBudget } from './context/contextBudget';
import type { RunSettings } from '../shared/runSettings';
import type { ModelCaller } from './modelCaller';
import type { RunEmitter } from './runEmitter';
import type { TaskExecutor } from './taskExecutor';
import type { ToolRegistry } from './toolRegistry';

/** What every mode works with during one run. */
export interface RunContext {
  question: string;
  history?: ChatMessage[];
  planner: ModelClient;
  joiner: ModelClient;
  tools: ToolRegistry;
  settings: RunSettings;
  signal: AbortSignal;
  emitter: RunEmitter;
  caller: ModelCaller;
  executor: TaskExecutor;
  /** The model's context, and what every request may hold in it. */
  budget: ContextBudget;
}

export interface ModeResult {
  answer: string;
}
