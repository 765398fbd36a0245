import type { CompilerEvent } from '../shared/runEvents';
import type { JsonObject, JsonValue } from '../shared/json';
import type { ToolOrigin } from '../shared/toolContract';
import { clip, formatMs, formatOrigin } from '../shared/format';

const ARG_CHARS = 40;
const LABEL_CHARS = 90;
const ERROR_CHARS = 120;

/** Resolved arguments as a call, e.g. `read_file("src/a.ts", start_line=10)`: what the task really did. */
export function formatCall(tool: string, args: JsonObject): string {
  const parts = Object.entries(args).map(([k, v], i) => (i === 0 ? formatValue(v) : `${k}=${formatValue(v)}`));
  return clip(`${tool}(${parts.join(', ')})`, LABEL_CHARS);
}

function formatValue(value: JsonValue): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'null';
  return clip(text, ARG_CHARS);
}

/** ` via extension acme.tools` after an external tool's call: where it runs. */
function via(origin: ToolOrigin | undefined): string {
  return origin ? ` via ${formatOrigin(origin)}` : '';
}

/**
 * Turns run events into the one-line progress messages of the Chat view: what the planner does, each task as it
 * starts and as it ends, an external tool's with its source. Keeps the label a task started with, so its end line
 * matches it.
 */
export class ProgressLines {
  private readonly labels = new Map<number, string>();

  lines(event: CompilerEvent): string[] {
    switch (event.type) {
      case 'context':
        return event.note ? [event.note] : [];
      case 'plan-start':
        return [event.round === 1 ? 'Planning…' : `Planning round ${event.round}…`];
      case 'plan-error':
        return [`Plan line ${event.line} ignored: ${clip(event.error.message, ERROR_CHARS)}`];
      case 'replan':
        return [`Another round is needed: ${clip(event.reason, ERROR_CHARS)}`];
      case 'task-planned':
        this.labels.set(event.id, `${event.id}. ${clip(`${event.tool}(${event.args})`, LABEL_CHARS)}${via(event.origin)}`);
        return [];
      case 'task-started': {
        const label = `${event.id}. ${formatCall(event.tool, event.resolvedArgs)}${via(event.origin)}`;
        this.labels.set(event.id, label);
        return [`${label} …`];
      }
      case 'task-finished': {
        const label = this.labels.get(event.id) ?? `${event.id}. ${clip(`${event.tool}(${event.args})`, LABEL_CHARS)}`;
        return [`${label} ${this.outcome(event)}`];
      }
      case 'join-start':
        return ['Writing the answer…'];
      default:
        return [];
    }
  }

  private outcome(event: Extract<CompilerEvent, { type: 'task-finished' }>): string {
    switch (event.status) {
      case 'ok':
        return `✓ ${formatMs(event.ms)}`;
      case 'cached':
        if (event.cachedFrom === undefined) return '✓ reused';
        return event.cachedFromRun !== undefined
          ? `✓ reused from an earlier question (task ${event.cachedFrom}, ${formatMs(event.originalMs ?? 0)} then), still valid`
          : `✓ same call as task ${event.cachedFrom}`;
      case 'error':
        return `✗ ${event.error ? `${event.error.reason}: ${clip(event.error.message, ERROR_CHARS)}` : 'failed'}`;
      case 'skipped':
        return `– skipped${event.error ? `: ${clip(event.error.message, ERROR_CHARS)}` : ''}`;
      case 'cancelled':
        return '– cancelled';
    }
  }
}
