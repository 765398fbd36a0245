import { END_OF_PLAN } from '../../src/core/plan/stopMarkers';
import { runQuestion } from '../../src/core/runQuestion';
import { ToolRegistry } from '../../src/core/toolRegistry';
import { createOpenAIModel } from '../../src/providers/openaiModel';
import type { CompilerEvent } from '../../src/shared/runEvents';
import type { Tool } from '../../src/shared/toolContract';
import { startOpenAITestServer } from './modelServer/openaiTestServer';
import type { TestChatRequest } from './modelServer/testServerScript';

export interface AskedRun {
  /** Each task's finished event (text, value-free), as JSON, in task order. */
  taskTexts: string[];
  /** Every message of every request the model server received, joined. */
  sentToModel: string;
  /** The task outputs' error reasons, where a task failed. */
  reasons: Array<string | undefined>;
}

/**
 * Runs a question end to end: the loopback model server plans `plan` (numbered tool calls), then finishes. What the
 * tools returned and everything the server received come back, to check what reached the model endpoint.
 */
export async function askThroughModelServer(tools: Tool[], roots: string[], plan: string[]): Promise<AskedRun> {
  const planText = `Thought: Look.\n${plan.map((call, i) => `${i + 1}. ${call}`).join('\n')}\njoin()\n${END_OF_PLAN}`;
  const server = await startOpenAITestServer({
    script: (request: TestChatRequest) => (request.stop.includes(END_OF_PLAN) ? planText : 'Thought: Enough.\nAction: Finish(Done.)'),
  });
  try {
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', maxRetries: 0 });
    const events: CompilerEvent[] = [];
    await runQuestion({
      question: 'What is in this project?',
      model,
      tools: new ToolRegistry(tools),
      roots,
      settings: { maxRounds: 1 },
      signal: new AbortController().signal,
      observer: (e) => events.push(e),
    });
    const finished = events.filter((e): e is Extract<CompilerEvent, { type: 'task-finished' }> => e.type === 'task-finished');
    finished.sort((a, b) => a.id - b.id);
    return {
      taskTexts: finished.map((e) => JSON.stringify(e)),
      reasons: finished.map((e) => e.error?.reason),
      sentToModel: server.requests.map((r) => (r.chat?.messages ?? []).map((m) => m.content).join('\n')).join('\n'),
    };
  } finally {
    await server.close();
  }
}
