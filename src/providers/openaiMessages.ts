import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, ModelToolSpec } from '../shared/modelContract';

/**
 * Chat messages in the chat-completions shape. Tool results become `tool` messages placed before the rest of their
 * user message, since the API wants them right after the assistant message that made the calls.
 */
export function toOpenAIMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    for (const result of message.toolResults ?? []) out.push({ role: 'tool', tool_call_id: result.callId, content: result.content });
    if (message.role === 'assistant' && message.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: message.content || null,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      });
    } else if (message.content || !message.toolResults?.length) {
      out.push({ role: message.role, content: message.content });
    }
  }
  return out;
}

export function toOpenAITools(tools: readonly ModelToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      // Servers reject a function without parameters; an empty object schema says it takes none.
      parameters: (tool.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown>,
    },
  }));
}
