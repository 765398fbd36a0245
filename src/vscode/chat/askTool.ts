import * as vscode from 'vscode';
import { toErrorInfo } from '../../base/errors';
import type { JsonObject } from '../../shared/json';
import { clip } from '../../shared/format';
import type { AskArgs } from '../../host/askCall';
import { bindAskArgs } from '../../host/askCall';
import { ASK_TOOL_NAME } from '../../surfaces/commandIds';
import { signalFromToken } from '../cancellation';
import { resolveRunModels } from '../models/modelSelection';
import type { RunCoordinator } from '../runCoordinator';
import { workspaceRoots } from '../workspaceTools';

export interface AskToolDeps {
  coordinator: RunCoordinator;
}

/**
 * `llm-compiler_ask` (`#compiler`): Copilot's agent mode, or any chat agent, hands a whole codebase question to the
 * compiler. The run goes through the run coordinator like any other (task-graph panel, status bar, log); the result
 * is the answer with its path:line citations.
 */
export function registerAskTool(context: vscode.ExtensionContext, deps: AskToolDeps): void {
  context.subscriptions.push(
    vscode.lm.registerTool<JsonObject>(ASK_TOOL_NAME, {
      prepareInvocation: ({ input }) => ({ invocationMessage: invocationMessage(input) }),
      invoke: ({ input, toolInvocationToken }, token) => invoke(context, deps, input, toolInvocationToken, token),
    }),
  );
}

/** What the chat view shows while the tool runs: the question being asked. */
export function invocationMessage(input: JsonObject): string {
  const question = typeof input.question === 'string' ? clip(input.question, 200) : '';
  const mode = typeof input.mode === 'string' ? ` (${input.mode})` : '';
  return `Asking LLM Compiler${mode}: “${question}”`;
}

async function invoke(
  context: vscode.ExtensionContext,
  deps: AskToolDeps,
  input: JsonObject,
  toolInvocationToken: vscode.ChatParticipantToolToken | undefined,
  token: vscode.CancellationToken,
): Promise<vscode.LanguageModelToolResult> {
  let args: AskArgs;
  try {
    args = bindAskArgs(input);
  } catch (error) {
    // The calling model reads a thrown error's message: the same one a planner gets for a bad argument.
    throw new Error(`Error: ${toErrorInfo(error).message}`);
  }
  if (workspaceRoots().length === 0) throw new Error('No folder is open: LLM Compiler answers questions about the files of the open workspace.');
  // The caller's cancellation stops the run: converted once here, passed down as a signal.
  const { signal, dispose } = signalFromToken(token);
  try {
    const models = await resolveRunModels(context.secrets);
    // A tool may pass on the token it was called with: the tools the run calls then belong to the caller's request.
    const summary = await deps.coordinator.run({
      question: args.question,
      models,
      signal,
      ...(toolInvocationToken !== undefined ? { toolInvocationToken } : {}),
      ...(args.mode ? { mode: args.mode } : {}),
    });
    if (summary.outcome === 'cancelled') throw new vscode.CancellationError();
    if (summary.outcome === 'failed') throw new Error(`The question could not be answered: ${summary.error?.message ?? 'the run failed'}`);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(summary.answer ?? '')]);
  } finally {
    dispose();
  }
}
