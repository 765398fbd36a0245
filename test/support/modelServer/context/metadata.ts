// What a model server says about itself, apart from chat: OpenAI's model list, with vLLM's `max_model_len` when the
// server plays vLLM. The other servers' own metadata endpoints (llama.cpp's, Ollama's, LM Studio's) are in
// contextWindow.ts, each in the route table in routes.ts.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http';
import type { ServerState } from '../serverState';

/** `GET /v1/models`. */
export function listModels(state: ServerState, res: ServerResponse): void {
  sendJson(res, 200, {
    object: 'list',
    data: state.models.map((id) => ({
      id,
      object: 'model',
      created: 0,
      owned_by: state.context?.kind === 'vllm' ? 'vllm' : 'test',
      ...(state.context?.kind === 'vllm' ? { root: id, parent: null, max_model_len: state.context.tokens } : {}),
    })),
  });
}
