// Scripted function calls as the server sends them: which calls a request may get, their token cost, each call's
// arguments streamed a token at a time, and the `tool_calls` of a whole (non-streamed) completion.
import { decodeGenerator, encode } from 'gpt-tokenizer';
import type { ChatStream } from './chatStream';
import type { Schedule } from './testServerReply';
import type { ScriptedToolCall, TestChatRequest } from './testServerScript';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Scripted function calls as the server streams them: each call's arguments in one fragment per token. */
export interface ShapedToolCalls {
  calls: Array<{ call: ScriptedToolCall; fragments: string[] }>;
  /** Output tokens the calls cost: names and arguments. */
  tokens: number;
}

/**
 * The calls the request gets, or why a reply that calls tools cannot answer it: a model told not to call in
 * parallel makes one call a turn.
 */
export function callsFor(request: TestChatRequest, scripted: ScriptedToolCall[]): ScriptedToolCall[] | { refusal: string } {
  if (scripted.length > 0 && (request.tools.length === 0 || request.toolChoice === 'none')) {
    const why = request.tools.length === 0 ? 'the request offers no tools' : 'the request says tool_choice "none"';
    return { refusal: `The scripted reply calls tools, but ${why}.` };
  }
  return request.parallelToolCalls ? scripted : scripted.slice(0, 1);
}

export function shapeToolCalls(calls: readonly ScriptedToolCall[]): ShapedToolCalls {
  let tokens = 0;
  const shaped = calls.map((call) => {
    const args = encode(call.arguments, PLAIN_TEXT);
    tokens += encode(call.name, PLAIN_TEXT).length + args.length;
    return { call, fragments: [...decodeGenerator(args)] };
  });
  return { calls: shaped, tokens };
}

/**
 * Each call as OpenAI streams it, on the reply's token clock: a piece with its index, id, type and name and empty
 * arguments, then the arguments a token at a time. False when the connection closed first.
 */
export async function streamToolCalls(stream: ChatStream, shaped: ShapedToolCalls, schedule: Schedule): Promise<boolean> {
  for (const [index, { call, fragments }] of shaped.calls.entries()) {
    const head = { index, ...(call.id ? { id: call.id } : {}), type: 'function', function: { name: call.name, arguments: '' } };
    const first = stream.atStart;
    if (!(await stream.nextTokenDue(schedule))) return false;
    await stream.send({ ...(first ? { role: 'assistant', content: null } : {}), tool_calls: [head] }, null);
    for (const fragment of fragments) {
      if (!(await stream.nextTokenDue(schedule))) return false;
      await stream.send({ tool_calls: [{ index, function: { arguments: fragment } }] }, null);
    }
  }
  return true;
}

/** The calls of a whole completion's message; a call without an id gets one made from the request's. */
export function completionToolCalls(shaped: ShapedToolCalls, requestIndex: number) {
  return shaped.calls.map(({ call }, index) => ({
    id: call.id ?? `call_${requestIndex}_${index}`,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
}
