// `POST /v1/chat/completions`: the request is read and checked, waits for a slot, gets the script's reply, and is
// answered on the latency model's clock, streamed or whole.
import type { ServerResponse } from 'node:http';
import { parseChatRequest } from './chatRequest';
import { ChatStream, usageOf } from './chatStream';
import type { Usage } from './chatStream';
import { serveFault } from './faults';
import { sendError, sendJson, waitMs } from './http';
import { prefill, readPrompt } from './serving/prefixCache';
import { replyTokenIds } from './serving/promptTokens';
import type { RecordedRequest, ServerState } from './serverState';
import { sinceStart } from './serverState';
import { computeSchedule, shapeReply } from './testServerReply';
import type { ShapedReply } from './testServerReply';
import { NoScriptedReplyError, isFault } from './testServerScript';
import type { Reply } from './testServerScript';
import { callsFor, completionToolCalls, shapeToolCalls, streamToolCalls } from './toolCalls';
import { checkContext } from './context/contextWindow';
import type { ShapedToolCalls } from './toolCalls';

export async function serveChat(state: ServerState, record: RecordedRequest, body: string, res: ServerResponse): Promise<void> {
  const parsed = parseChatRequest(body);
  if (typeof parsed === 'string') {
    return sendError(res, 400, { message: parsed, type: 'invalid_request_error' });
  }
  let request = parsed;
  record.chat = request;
  record.chatIndex = state.chatCount++;
  if (state.options.models !== undefined && !state.models.includes(request.model)) return serveFault(state, record, { fault: 'model-not-found' }, res);
  // The context window: a request past it is refused, or cut as Ollama cuts it; a reply stops at it.
  const fit = checkContext(state.context, request.body, request.maxTokens);
  if (state.context) record.context = { promptTokens: fit.promptTokens };
  if (fit.kind === 'refused') {
    record.context = { promptTokens: fit.promptTokens, refused: true };
    record.reply = { fault: 'context-too-long' };
    return sendJson(res, fit.status, fit.body);
  }
  if (fit.kind === 'truncated') {
    const cut = parseChatRequest(JSON.stringify(fit.body));
    if (typeof cut !== 'string') request = { ...cut, body: fit.body };
    record.chat = request;
    record.context = { promptTokens: fit.promptTokens, dropped: fit.dropped };
  }
  const maxTokens = fit.maxTokens ?? request.maxTokens;
  // What the model answers and how long it takes is decided once a slot takes the request up.
  const admitted = await state.slots.admit(res, () => {
    record.admittedAt = sinceStart(state);
    state.events.emit('admit', record);
  });
  if (!admitted) return;
  let reply: Reply;
  try {
    reply = await state.script(request, record.chatIndex);
  } catch (error) {
    if (!(error instanceof NoScriptedReplyError)) throw error;
    return sendError(res, 500, { message: error.message, type: 'server_error' }, { 'x-should-retry': 'false' });
  }
  if (isFault(reply)) return serveFault(state, record, reply, res);
  const scripted = typeof reply === 'string' ? { text: reply } : reply;
  const calls = callsFor(request, scripted.toolCalls ?? []);
  if (!Array.isArray(calls)) return sendError(res, 500, { message: calls.refusal, type: 'server_error' }, { 'x-should-retry': 'false' });
  const shaped = shapeReply(scripted.text, request.stop, maxTokens);
  const tools = shapeToolCalls(calls);
  record.reply = { text: shaped.text, ...(calls.length ? { toolCalls: calls } : {}) };
  const read = readPrompt(state.cache, request.body, state.chatTemplate);
  record.schedule = computeSchedule(
    { tokens: read.tokens.length, cached: read.cached },
    { ...shaped, completionTokens: shaped.completionTokens + tools.tokens },
    { ...state.latency, ...scripted.latency },
  );
  const usage = usageOf(record.schedule, read.cache !== undefined);
  const done = () => read.cache?.store(read.tokens, replyTokenIds(shaped.text, calls, state.chatTemplate));
  if (!request.stream) {
    const t0 = performance.now();
    if (!(await prefill(res, record.schedule.ttftMs, read))) return;
    return completeJson(state, record, shaped, tools, res, usage, t0).then((sent) => {
      if (sent) done();
    });
  }
  const stream = new ChatStream(res, `chatcmpl-${record.index}`, request.model, request.includeUsage && state.reportUsage);
  if (!(await prefill(res, record.schedule.ttftMs, read))) return;
  const open = await stream.pieces(shaped.pieces, record.schedule);
  if (!open) return;
  if (calls.length) {
    if (!(await streamToolCalls(stream, tools, record.schedule))) return;
    await stream.finish('tool_calls', usage);
  } else {
    await stream.finish(shaped.finishReason, usage);
  }
  done();
}

/** Sends the completion when its last token is due, counted from `t0`; false when the connection closed first. */
function completeJson(
  state: ServerState,
  record: RecordedRequest,
  shaped: ShapedReply,
  tools: ShapedToolCalls,
  res: ServerResponse,
  usage: Usage,
  t0: number,
): Promise<boolean> {
  const schedule = record.schedule!;
  const due = schedule.ttftMs + schedule.tokenIntervalMs * schedule.completionTokens - (performance.now() - t0);
  const calls = completionToolCalls(tools, record.index);
  return waitMs(res, due).then((open) => {
    if (!open) return false;
    sendJson(res, 200, {
      id: `chatcmpl-${record.index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: record.chat!.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: calls.length && !shaped.text ? null : shaped.text,
            refusal: null,
            ...(calls.length ? { tool_calls: calls } : {}),
          },
          logprobs: null,
          finish_reason: calls.length ? 'tool_calls' : shaped.finishReason,
        },
      ],
      ...(state.reportUsage ? { usage } : {}),
    });
    return true;
  });
}
