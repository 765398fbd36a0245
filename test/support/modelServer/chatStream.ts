// A chat completion streamed as OpenAI does it: server-sent `chat.completion.chunk` events on the reply's token
// clock, a finish chunk, the usage chunk when asked for, then `[DONE]`.
import type { ServerResponse } from 'node:http';
import { waitMs, write } from './http';
import type { Schedule } from './testServerReply';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

/** Usage as OpenAI reports it; `prompt_tokens_details` only from a server that caches prefixes. */
export function usageOf(schedule: Schedule, caching: boolean) {
  return {
    prompt_tokens: schedule.promptTokens,
    completion_tokens: schedule.completionTokens,
    total_tokens: schedule.promptTokens + schedule.completionTokens,
    ...(caching ? { prompt_tokens_details: { cached_tokens: schedule.cachedTokens } } : {}),
  };
}

export type Usage = ReturnType<typeof usageOf>;

export class ChatStream {
  private readonly base: Record<string, unknown>;
  private readonly withUsage: boolean;
  private readonly t0: number;
  /** Tokens sent so far: the next one is due `ttftMs + tokenIntervalMs * sent` after the headers. */
  private sent = 0;

  /** Sends the headers at once. */
  constructor(
    private readonly res: ServerResponse,
    id: string,
    model: string,
    withUsage: boolean,
  ) {
    this.base = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
    this.withUsage = withUsage;
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    this.t0 = performance.now();
  }

  /** Whether nothing has been sent yet: the first delta carries the assistant's role. */
  get atStart(): boolean {
    return this.sent === 0;
  }

  /** Waits until the next token is due and counts it sent; false when the connection closed first. */
  async nextTokenDue(schedule: Schedule): Promise<boolean> {
    const ok = await waitMs(this.res, schedule.ttftMs + schedule.tokenIntervalMs * this.sent - (performance.now() - this.t0));
    this.sent++;
    return ok;
  }

  /** One `chat.completion.chunk` event. */
  send(delta: Record<string, unknown>, finishReason: string | null): Promise<void> {
    return write(
      this.res,
      `data: ${JSON.stringify({
        ...this.base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(this.withUsage ? { usage: null } : {}),
      })}\n\n`,
    );
  }

  /** Sends each piece of text when it is due; false when the connection closed first. */
  async pieces(pieces: readonly string[], schedule: Schedule): Promise<boolean> {
    for (const piece of pieces) {
      const first = this.atStart;
      if (!(await this.nextTokenDue(schedule))) return false;
      await this.send(first ? { role: 'assistant', content: piece } : { content: piece }, null);
    }
    if (this.atStart && !(await waitMs(this.res, schedule.ttftMs - (performance.now() - this.t0)))) return false;
    return true;
  }

  async finish(finishReason: string, usage: Usage): Promise<void> {
    if (this.res.destroyed) return;
    await this.send(this.atStart ? { role: 'assistant', content: '' } : {}, finishReason);
    if (this.withUsage) await write(this.res, `data: ${JSON.stringify({ ...this.base, choices: [], usage })}\n\n`);
    await write(this.res, 'data: [DONE]\n\n');
    this.res.end();
  }
}
