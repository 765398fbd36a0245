// What a model server says about itself, apart from chat: OpenAI's model list. Other servers' metadata endpoints
// (llama.cpp's, vLLM's, Ollama's, LM Studio's) belong here too, each added to the route table in routes.ts.
import type { ServerResponse } from 'node:http';
import { sendJson } from './http';
import type { ServerState } from './serverState';

/** `GET /v1/models`. */
export function listModels(state: ServerState, res: ServerResponse): void {
  sendJson(res, 200, {
    object: 'list',
    data: state.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
  });
}
