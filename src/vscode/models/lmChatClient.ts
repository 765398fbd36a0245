// The Language Model API adapter's logic, with every runtime piece of `vscode` passed in (`LmApi`), so that it runs
// under plain Node tests with fakes. `lmModel.ts` wires in the real API.
import type * as vscode from 'vscode';
import { childController, raceAbort } from '../../base/abortable';
import { throwIfAborted } from '../../base/errors';
import { ReplyText, replyFailure } from '../../providers/replyStream';
import type { ChatMessage, ModelChunk, ModelClient, ModelRequestOptions, ModelToolCall, ModelToolResult, ModelUsage } from '../../shared/modelContract';
import { toLmError } from './lmErrors';
import { RAISE_CONTEXT } from '../../providers/modelContext';

/** The runtime parts of `vscode` the adapter needs. */
export interface LmApi {
  /** A user message: tool results (`LanguageModelToolResultPart`s) first, then the text, if any. */
  userMessage(content: string, toolResults?: readonly ModelToolResult[]): vscode.LanguageModelChatMessage;
  /** An assistant message: its text, then its calls (`LanguageModelToolCallPart`s), if any. */
  assistantMessage(content: string, toolCalls?: readonly ModelToolCall[]): vscode.LanguageModelChatMessage;
  /** The text of a response part, or undefined for parts that are not text (tool calls, data). */
  textOf(part: unknown): string | undefined;
  /** The call of a `LanguageModelToolCallPart`, or undefined for other parts. */
  toolCallOf(part: unknown): ModelToolCall | undefined;
  /** `LanguageModelChatToolMode.Required` or `.Auto`. */
  toolMode(required: boolean): vscode.LanguageModelChatToolMode;
  /** The `LanguageModelError` code, or undefined when the error is not one. */
  errorCode(error: unknown): string | undefined;
  tokenFromSignal(signal: AbortSignal): { token: vscode.CancellationToken; dispose(): void };
}

export type LmChat = Pick<vscode.LanguageModelChat, 'name' | 'id' | 'vendor' | 'family' | 'sendRequest' | 'countTokens' | 'maxInputTokens'>;

const JUSTIFICATION = 'LLM Compiler plans workspace searches and answers your questions about the code.';

export function createLmChatClient(chat: LmChat, api: LmApi): ModelClient {
  return {
    id: `vscode-lm:${chat.vendor}/${chat.family}`,
    // VS Code bounds a model's prompt (`maxInputTokens`) apart from its output, and counts with the model's own tokenizer.
    context: () =>
      Promise.resolve({
        tokens: chat.maxInputTokens,
        source: `VS Code's maxInputTokens for ${chat.vendor}/${chat.family}`,
        server: 'vscode' as const,
        separateOutput: true,
        raise: RAISE_CONTEXT.vscode,
        exactCount: async (text: string, signal: AbortSignal) => {
          const { token, dispose } = api.tokenFromSignal(signal);
          try {
            return await chat.countTokens(text, token);
          } finally {
            dispose();
          }
        },
      }),
    stream: (messages, request) => streamLm(chat, api, messages, request),
  };
}

/**
 * The LM API has no system role: system text goes in front of the next user message (or becomes a user message of
 * its own when no user message follows).
 */
export function toLmMessages(messages: readonly ChatMessage[], api: LmApi): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let system: string[] = [];
  const flushSystem = () => {
    if (system.length > 0) out.push(api.userMessage(system.join('\n\n')));
    system = [];
  };
  for (const message of messages) {
    if (message.role === 'system') system.push(message.content);
    else if (message.role === 'user') {
      // Tool results stay first: they must follow the assistant message that made the calls.
      out.push(api.userMessage([...system, message.content].filter(Boolean).join('\n\n'), message.toolResults));
      system = [];
    } else {
      flushSystem();
      out.push(api.assistantMessage(message.content, message.toolCalls));
    }
  }
  flushSystem();
  return out;
}

async function* streamLm(
  chat: LmChat,
  api: LmApi,
  messages: ChatMessage[],
  request: ModelRequestOptions,
): AsyncGenerator<ModelChunk> {
  const { signal } = request;
  throwIfAborted(signal);
  // The request's own cancellation: when the caller aborts, and also when we stop early (stop sequence, consumer gone).
  const { controller, dispose: detach } = childController(signal);
  const { token, dispose: disposeToken } = api.tokenFromSignal(controller.signal);
  const lmMessages = toLmMessages(messages, api);
  const reply = new ReplyText(request);
  let drained = false;
  let parts: AsyncIterator<unknown> | undefined;
  try {
    const tools = request.tools?.length
      ? {
          tools: request.tools.map((t) => ({ name: t.name, description: t.description, ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}) })),
          toolMode: api.toolMode(request.toolMode === 'required'),
        }
      : {};
    const response = await raceAbort(
      Promise.resolve(chat.sendRequest(lmMessages, { justification: JUSTIFICATION, ...tools }, token)),
      signal,
    );
    parts = response.stream[Symbol.asyncIterator]();
    for (;;) {
      // Raced, so that cancelling ends the stream at once even if a model keeps it open.
      const next = await raceAbort(Promise.resolve(parts.next()), signal);
      if (next.done) {
        drained = true;
        break;
      }
      const call = request.tools?.length ? api.toolCallOf(next.value) : undefined;
      if (call) {
        reply.call(call);
        yield { type: 'tool-call', call };
        continue;
      }
      const text = api.textOf(next.value);
      const shown = text ? reply.push(text) : '';
      if (shown) yield { type: 'text', text: shown };
      if (reply.done) break;
    }
    throwIfAborted(signal);
    // After a stop sequence the model may still be writing: cancel the request, not the caller's run.
    if (!drained) controller.abort();
    const rest = reply.flush();
    if (rest) yield { type: 'text', text: rest };
    const counting = api.tokenFromSignal(signal);
    const usage = await countUsage(chat, lmMessages, messages, reply, counting.token).finally(counting.dispose);
    throwIfAborted(signal);
    yield { type: 'usage', usage };
  } catch (error) {
    throw replyFailure(error, signal, (e) => toLmError(e, api.errorCode(e), chat));
  } finally {
    controller.abort();
    if (!drained) parts?.return?.().catch(() => undefined);
    detach();
    disposeToken();
  }
}

/** The model's own tokenizer through `countTokens`; the local tokenizer (flagged estimated) if that fails. */
async function countUsage(
  chat: LmChat,
  lmMessages: vscode.LanguageModelChatMessage[],
  messages: ChatMessage[],
  reply: ReplyText,
  token: vscode.CancellationToken,
): Promise<ModelUsage> {
  try {
    const [inputCounts, outputTokens] = await Promise.all([
      Promise.all(lmMessages.map((m) => chat.countTokens(m, token))),
      chat.countTokens(reply.written, token),
    ]);
    return { inputTokens: inputCounts.reduce((a, b) => a + b, 0), outputTokens, estimated: false };
  } catch {
    return reply.estimatedUsage(messages);
  }
}
