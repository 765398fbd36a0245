import * as vscode from 'vscode';
import { toErrorInfo } from '../../base/errors';
import type { RunModels } from '../../host/session';
import type { ChatMessage } from '../../shared/modelContract';
import type { RunSummary } from '../../shared/runEvents';
import { parseCompareRequest } from '../../surfaces/compareRequest';
import { historyMessages } from '../../surfaces/chatHistory';
import type { HistoryTurn } from '../../surfaces/chatHistory';
import { CHAT_COMPARE_COMMAND, CHAT_MODE_COMMANDS, CHAT_PARTICIPANT_ID } from '../../surfaces/commandIds';
import { comparisonTable, comparisonVerdict, modeTitle } from '../../surfaces/runFooter';
import { signalFromToken } from '../cancellation';
import { ChatRenderer, deferredOutput, graphButton } from './chatRenderer';
import { resolveRunModels } from '../models/modelSelection';
import type { RunCoordinator } from '../runCoordinator';
import { readCompareWith } from '../settings';
import { workspaceRoots } from '../workspaceTools';
import type { CompareMode, RunMode } from '../../shared/modes';

export interface ChatParticipantDeps {
  coordinator: RunCoordinator;
}

/** What a response keeps for later turns: the answer alone, without progress, footer or buttons. */
interface CompilerChatMetadata {
  runId?: string;
  answer?: string;
}

/**
 * `@compiler` in the Chat view. `/fc`, `/react` and `/plan` run the other strategies; `/compare` runs the compiler
 * and one of them (`llmCompiler.compareWith`, or the mode named first: `/compare react …`) and compares.
 */
export function registerChatParticipant(context: vscode.ExtensionContext, deps: ChatParticipantDeps): void {
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, (request, chatContext, stream, token) =>
    answer(context, deps, request, chatContext, stream, token),
  );
  participant.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
  context.subscriptions.push(participant);
}

async function answer(
  context: vscode.ExtensionContext,
  deps: ChatParticipantDeps,
  request: vscode.ChatRequest,
  chatContext: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const comparing = request.command === CHAT_COMPARE_COMMAND;
  const compareRequest = comparing ? parseCompareRequest(questionOf(request), readCompareWith(vscode.workspace)) : undefined;
  const question = compareRequest?.question ?? questionOf(request);
  if (!question) {
    stream.markdown('Ask a question about this codebase, for example: *Where is the configuration loaded, and what reads it?*');
    return {};
  }
  const roots = workspaceRoots();
  if (roots.length === 0) {
    stream.markdown('Open a folder first: LLM Compiler answers questions about the files of the open workspace.');
    stream.button({ command: 'workbench.action.files.openFolder', title: 'Open Folder…' });
    return {};
  }
  // Stop in the Chat view cancels the whole run: converted once here, passed down as a signal.
  const { signal, dispose } = signalFromToken(token);
  const renderer = new ChatRenderer(stream, roots);
  try {
    const models = await resolveRunModels(context.secrets, request.model);
    const history = historyMessages(historyTurns(chatContext.history));
    // Other extensions' tools are called as part of this request: VS Code shows them, and their confirmations, here.
    const { toolInvocationToken } = request;
    if (compareRequest) return await compare(deps, stream, roots, compareRequest.against, { question, history, models, signal, toolInvocationToken });
    const mode = commandMode(request.command);
    const summary = await deps.coordinator.run({ question, history, models, signal, toolInvocationToken, observer: renderer.observe, ...(mode ? { mode } : {}) });
    renderer.finish(summary);
    return result(summary);
  } catch (error) {
    if (signal.aborted) {
      stream.markdown('*Cancelled.*');
      return {};
    }
    renderer.error(toErrorInfo(error));
    return {};
  } finally {
    dispose();
  }
}

function commandMode(command: string | undefined): RunMode | undefined {
  return command && Object.hasOwn(CHAT_MODE_COMMANDS, command) ? CHAT_MODE_COMMANDS[command] : undefined;
}

/**
 * `/compare`: the same question the LLM Compiler way, then the other mode's way; the progress of both runs as it
 * happens, then both answers and the figures side by side.
 */
async function compare(
  deps: ChatParticipantDeps,
  stream: vscode.ChatResponseStream,
  roots: readonly string[],
  against: CompareMode,
  run: { question: string; history: ChatMessage[]; models: RunModels; signal: AbortSignal; toolInvocationToken: vscode.ChatParticipantToolToken },
): Promise<vscode.ChatResult> {
  const first = deferredOutput(stream);
  const compilerView = new ChatRenderer(first.output, roots, 'LLM Compiler: ');
  const compiler = await deps.coordinator.run({ ...run, mode: 'compiler', observer: compilerView.observe });
  compilerView.finish(compiler, { graphButton: compiler.outcome !== 'answered' });
  if (compiler.outcome !== 'answered') {
    first.replay();
    return result(compiler);
  }
  const name = modeTitle(against);
  const second = deferredOutput(stream);
  const otherView = new ChatRenderer(second.output, roots, `${name}: `);
  const other = await deps.coordinator.run({ ...run, mode: against, observer: otherView.observe });
  // Buttons go last: Chat folds everything before a response's last button into its "Completed N steps".
  otherView.finish(other, { graphButton: false });

  stream.markdown('#### LLM Compiler\n\n');
  first.replay();
  stream.markdown(`\n\n#### ${name}\n\n`);
  second.replay();
  if (other.outcome === 'answered') {
    stream.markdown(`\n\n#### Comparison\n\n${comparisonTable(compiler, other, against)}\n\n${comparisonVerdict(compiler, other, against)}\n`);
  }
  stream.button(graphButton(compiler.runId, 'Show LLM Compiler Task Graph'));
  stream.button(graphButton(other.runId, `Show ${name} Task Graph`));
  return result(compiler);
}

function result(summary: RunSummary & { runId: string }): vscode.ChatResult {
  const metadata: CompilerChatMetadata = { runId: summary.runId, ...(summary.answer !== undefined ? { answer: summary.answer } : {}) };
  return { metadata };
}

/** The prompt, plus what the user attached (`#file`, `#selection`…) as paths and lines the tools can open. */
function questionOf(request: vscode.ChatRequest): string {
  const prompt = request.prompt.trim();
  const attached: string[] = [];
  for (const ref of request.references) {
    const value = ref.value;
    if (value instanceof vscode.Location) {
      const { start, end } = value.range;
      attached.push(`${vscode.workspace.asRelativePath(value.uri)}:${start.line + 1}${end.line > start.line ? `-${end.line + 1}` : ''}`);
    } else if (value instanceof vscode.Uri) {
      attached.push(vscode.workspace.asRelativePath(value));
    } else if (typeof value === 'string' && value.trim()) {
      attached.push(`\n\`\`\`\n${value.slice(0, 4000)}\n\`\`\``);
    }
  }
  if (!prompt) return '';
  return attached.length ? `${prompt}\n\nAttached: ${attached.join(', ')}` : prompt;
}

/** The earlier turns of this participant's conversation. */
function historyTurns(history: vscode.ChatContext['history']): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  for (const turn of history) {
    if (turn.participant !== CHAT_PARTICIPANT_ID) continue;
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: 'user', text: turn.prompt });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const metadata = turn.result.metadata as CompilerChatMetadata | undefined;
      const text =
        metadata?.answer ??
        turn.response
          .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
          .join('');
      turns.push({ role: 'assistant', text });
    }
  }
  return turns;
}
