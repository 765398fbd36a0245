import { CompilerError } from '../base/errors';
import type { JsonObject } from '../shared/json';
import type { ModelToolCall } from '../shared/modelContract';

/** One streamed `delta.tool_calls` entry: the first piece names the call, later pieces add to its arguments. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** Puts streamed tool-call pieces back together; the calls are whole only once the stream has ended. */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();

  push(deltas: readonly ToolCallDelta[] | undefined): void {
    for (const delta of deltas ?? []) {
      let call = this.calls.get(delta.index);
      if (!call) {
        call = { id: '', name: '', args: '' };
        this.calls.set(delta.index, call);
      }
      if (delta.id) call.id = delta.id;
      call.name += delta.function?.name ?? '';
      call.args += delta.function?.arguments ?? '';
    }
  }

  /** The calls in the order the model made them. Throws `model-error` for a call VS Code could not run. */
  finish(): ModelToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        if (!call.name) throw new CompilerError('model-error', `The model made a tool call without a tool name (call ${index + 1}).`);
        let input: unknown;
        try {
          input = call.args.trim() ? JSON.parse(call.args) : {};
        } catch {
          throw new CompilerError('model-error', `The model called ${call.name} with arguments that are not JSON: ${call.args.slice(0, 200)}`);
        }
        if (input === null || typeof input !== 'object' || Array.isArray(input)) {
          throw new CompilerError('model-error', `The model called ${call.name} with arguments that are not a JSON object: ${call.args.slice(0, 200)}`);
        }
        // Some servers leave out the id; VS Code matches results to calls by it.
        return { id: call.id || `call_${index}`, name: call.name, input: input as JsonObject };
      });
  }
}
