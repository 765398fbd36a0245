// The messages between the extension host and the task-graph webview. Both sides import these types; each side
// checks what it receives with the guards below, because a message is only data from another process.
import type { CompilerEvent, RunOutcome } from './runEvents';
import type { FileLocation } from './toolContract';
import type { RunMode } from './modes';

/** One entry of the run picker. */
export interface RunListItem {
  runId: string;
  question: string;
  mode: RunMode;
  model: string;
  /** Epoch milliseconds when the first event arrived. */
  startedAt: number;
  /** Set once `run-end` arrived; a run without it is still going. */
  outcome?: RunOutcome;
  wallMs?: number;
  tasks: number;
  /** True when the run can still be cancelled from the panel. */
  cancellable: boolean;
}

export type HostMessage =
  /** A live event of any recent run; the webview applies those of the run it shows. */
  | { type: 'event'; runId: string; event: CompilerEvent }
  /** The recent runs, newest first. Sent on `ready` and whenever the list changes. */
  | { type: 'runs'; runs: RunListItem[] }
  /** Every event of one run so far: the answer to `selectRun`, or the host switching the panel to a run. */
  | { type: 'showRun'; runId: string; events: CompilerEvent[] };

export type WebviewMessage =
  /** The webview listens now; the host flushes what it queued and sends the run list. */
  | { type: 'ready' }
  | { type: 'openLocation'; location: FileLocation }
  | { type: 'selectRun'; runId: string }
  | { type: 'cancel'; runId: string };

const EVENT_TYPES: ReadonlySet<string> = new Set<CompilerEvent['type']>([
  'run-start',
  'context',
  'llm-start',
  'llm-end',
  'plan-start',
  'plan-end',
  'plan-error',
  'task-planned',
  'task-started',
  'task-finished',
  'join-start',
  'thought',
  'answer-delta',
  'replan',
  'run-end',
]);

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, maxLength = 100_000): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

function isOptionalPositiveInt(value: unknown): boolean {
  return value === undefined || (Number.isInteger(value) && (value as number) >= 1);
}

export function isFileLocation(value: unknown): value is FileLocation {
  return (
    isObject(value) &&
    isString(value.path, 4096) &&
    value.path.length > 0 &&
    isString(value.relPath, 4096) &&
    isOptionalPositiveInt(value.line) &&
    isOptionalPositiveInt(value.column) &&
    isOptionalPositiveInt(value.endLine) &&
    isOptionalPositiveInt(value.endColumn)
  );
}

/** Checks the envelope of an event: a known type and a finite time. Fields the view reads are checked where read. */
export function isCompilerEvent(value: unknown): value is CompilerEvent {
  return isObject(value) && isString(value.type, 32) && EVENT_TYPES.has(value.type) && Number.isFinite(value.t);
}

function isRunListItem(value: unknown): value is RunListItem {
  return (
    isObject(value) &&
    isString(value.runId, 200) &&
    isString(value.question) &&
    isString(value.mode, 32) &&
    isString(value.model, 500) &&
    Number.isFinite(value.startedAt) &&
    Number.isFinite(value.tasks) &&
    typeof value.cancellable === 'boolean'
  );
}

/** What the webview accepts from the host. */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'event':
      return isString(value.runId, 200) && isCompilerEvent(value.event);
    case 'runs':
      return Array.isArray(value.runs) && value.runs.every(isRunListItem);
    case 'showRun':
      return isString(value.runId, 200) && Array.isArray(value.events) && value.events.every(isCompilerEvent);
    default:
      return false;
  }
}

/** What the host accepts from the webview. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'openLocation':
      return isFileLocation(value.location);
    case 'selectRun':
    case 'cancel':
      return isString(value.runId, 200) && value.runId.length > 0;
    default:
      return false;
  }
}
