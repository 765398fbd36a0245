import * as vscode from 'vscode';
import { toErrorInfo } from '../../base/errors';
import type { ChatMessage, RunMode, RunSummary } from '../../shared/types';
import { historyMessages } from '../../surfaces/chatHistory';
import type { HistoryTurn } from '../../surfaces/chatHistory';
import { CHAT_PARTICIPANT_ID } from '../../surfaces/commandIds';
import { comparisonTable, comparisonVerdict } from '../../surfaces/runFooter';
import { signalFromToken } from '../cancellation';
import { ChatRenderer, deferredOutput, graphButton } from './chatRenderer';
import { resolveRunModels } from '../models/modelSelection';
import type { RunModels } from '../models/modelSelection';
import type { RunCoordinator } from '../runCoordinator';
import { workspaceRoots } from '../workspaceTools';

export interface ChatParticipantDeps {
  coordinator: RunCoordinator;
}

/** What a response keeps for later turns: the answer alone, without progress, footer or buttons. */
interface CompilerChatMetadata {
  runId?: string;
  answer?: string;
}

const COMMAND_MODES: Record<string, RunMode> = { react: 'react', plan: 'plan-execute' };

/** `@compiler` in the Chat view. `/react` and `/plan` run the other strategies, `/compare` runs both and compares. */
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
  const question = questionOf(request);
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
    if (request.command === 'compare') return await compare(deps, stream, roots, { question, history, models, signal });
    const summary = await deps.coordinator.run({
      question,
      history,
      models,
      signal,
      observer: renderer.observe,
      ...(request.command && COMMAND_MODES[request.command] ? { mode: COMMAND_MODES[request.command] } : {}),
    });
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

/**
 * `/compare`: the same question the LLM Compiler way, then the ReAct way; the progress of both runs as it happens,
 * then both answers and the figures side by side.
 */
async function compare(
  deps: ChatParticipantDeps,
  stream: vscode.ChatResponseStream,
  roots: readonly string[],
  run: { question: string; history: ChatMessage[]; models: RunModels; signal: AbortSignal },
): Promise<vscode.ChatResult> {
  const first = deferredOutput(stream);
  const compilerView = new ChatRenderer(first.output, roots, 'LLM Compiler: ');
  const compiler = await deps.coordinator.run({ ...run, mode: 'compiler', observer: compilerView.observe });
  compilerView.finish(compiler, { graphButton: compiler.outcome !== 'answered' });
  if (compiler.outcome !== 'answered') {
    first.replay();
    return result(compiler);
  }
  const second = deferredOutput(stream);
  const reactView = new ChatRenderer(second.output, roots, 'ReAct: ');
  const react = await deps.coordinator.run({ ...run, mode: 'react', observer: reactView.observe });
  // Buttons go last: Chat folds everything before a response's last button into its "Completed N steps".
  reactView.finish(react, { graphButton: false });

  stream.markdown('#### LLM Compiler\n\n');
  first.replay();
  stream.markdown('\n\n#### ReAct\n\n');
  second.replay();
  if (react.outcome === 'answered') {
    stream.markdown(`\n\n#### Comparison\n\n${comparisonTable(compiler, react)}\n\n${comparisonVerdict(compiler, react)}\n`);
  }
  stream.button(graphButton(compiler.runId, 'Show LLM Compiler Task Graph'));
  stream.button(graphButton(react.runId, 'Show ReAct Task Graph'));
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
