import assert from 'node:assert/strict';
import { encode } from 'gpt-tokenizer';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import { toOpenAITools } from '../../../../src/providers/openaiMessages';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import { functionDefinitionTokens, promptTokenIds, pythonJson, replyTokenIds } from '../../../support/modelServer/serving/promptTokens';
import { PrefixCache } from '../../../support/modelServer/serving/prefixCache';

// The example of the OpenAI Cookbook's "How to count tokens with tiktoken", section "Counting tokens for chat
// completions with tool calls": the API reported 101 prompt tokens for it on gpt-4o and gpt-4o-mini.
const COOKBOOK_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['location'],
      },
    },
  },
];
const COOKBOOK_MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

const text = (s: string) => encode(s, { disallowedSpecial: new Set<string>() }).length;

describe('prompt tokens as the model reads them', () => {
  describe('OpenAI (hosted)', () => {
    it('counts the cookbook example as OpenAI\'s API did: 101 prompt tokens', () => {
      assert.equal(promptTokenIds({ tools: COOKBOOK_TOOLS, messages: COOKBOOK_MESSAGES }, 'openai').length, 101);
    });

    it('counts each function by the cookbook formula: 7 + name:description, 3 + per property 3 + name:type:description, enums, 12 at the end', () => {
      const tools = [
        { type: 'function', function: { name: 'ping', description: 'Checks the server.', parameters: { type: 'object', properties: {} } } },
        {
          type: 'function',
          function: {
            name: 'grep',
            description: 'Searches files.',
            parameters: {
              type: 'object',
              properties: {
                pattern: { type: 'string', description: 'What to find.' },
                mode: { type: 'string', description: 'How', enum: ['literal', 'regex'] },
                max: { type: 'integer', minimum: 1 },
              },
            },
          },
        },
      ];
      const expected =
        7 + text('ping:Checks the server') +
        7 + text('grep:Searches files') + 3 +
        3 + text('pattern:string:What to find') +
        (3 - 3) + 3 + text('literal') + 3 + text('regex') + text('mode:string:How') +
        3 + text('max:integer:') +
        12;
      assert.equal(functionDefinitionTokens(tools).length, expected);
      assert.deepEqual(functionDefinitionTokens([]), []);
    });

    it('bills the workspace tools well below their raw JSON, as OpenAI does', () => {
      const functions = toOpenAITools(new ToolRegistry(createNodeTools()).functions());
      const counted = functionDefinitionTokens(functions as never).length;
      const raw = text(JSON.stringify(functions));
      assert.ok(counted < raw * 0.9, `${counted} counted against ${raw} as raw JSON`);
    });
  });

  describe('Qwen2.5 (local)', () => {
    const IM_START = 1;
    const IM_END = 1;
    const head = '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
    const tail =
      '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

    it('writes every tool as JSON inside <tools> in the system turn, as the chat template does', () => {
      const tools = promptTokenIds({ tools: COOKBOOK_TOOLS, messages: COOKBOOK_MESSAGES }, 'qwen2.5').length;
      const json = `\n${pythonJson(COOKBOOK_TOOLS[0])}`;
      assert.match(json, /^\n\{"type": "function", "function": \{"name": "get_current_weather", "description": /);
      const expected =
        IM_START + text('system\n') + text(`${COOKBOOK_MESSAGES[0]!.content}${head}${json}${tail}`) + IM_END + text('\n') +
        IM_START + text('user\n') + text(COOKBOOK_MESSAGES[1]!.content) + IM_END + text('\n') +
        IM_START + text('assistant\n');
      assert.equal(tools, expected);
      // Without tools the system turn is the system message alone.
      const plain = promptTokenIds({ messages: COOKBOOK_MESSAGES }, 'qwen2.5').length;
      assert.equal(plain, expected - text(`${COOKBOOK_MESSAGES[0]!.content}${head}${json}${tail}`) + text(COOKBOOK_MESSAGES[0]!.content));
    });

    it('groups consecutive tool results into one user turn of <tool_response> blocks, and reads calls as <tool_call> blocks', () => {
      const call = (id: string, city: string) => ({ id, type: 'function', function: { name: 'get_current_weather', arguments: `{"location":"${city}"}` } });
      const messages = [
        ...COOKBOOK_MESSAGES,
        { role: 'assistant', content: null, tool_calls: [call('a', 'SF'), call('b', 'NY')] },
        { role: 'tool', tool_call_id: 'a', content: 'sunny' },
        { role: 'tool', tool_call_id: 'b', content: 'rain' },
      ];
      const before = promptTokenIds({ tools: COOKBOOK_TOOLS, messages: COOKBOOK_MESSAGES }, 'qwen2.5');
      const after = promptTokenIds({ tools: COOKBOOK_TOOLS, messages }, 'qwen2.5');
      const body = '<tool_call>\n{"name": "get_current_weather", "arguments": {"location": "SF"}}\n</tool_call>\n<tool_call>\n{"name": "get_current_weather", "arguments": {"location": "NY"}}\n</tool_call>';
      const responses = '\n<tool_response>\nsunny\n</tool_response>\n<tool_response>\nrain\n</tool_response>';
      assert.equal(after.length, before.length + text(body) + IM_END + text('\n') + IM_START + text('user') + text(responses) + IM_END + text('\n') + IM_START + text('assistant\n'));
    });

    it('a kept prompt and reply are the next request\'s prefix, so one slot that keeps its sequence reuses all of it', () => {
      const first = promptTokenIds({ tools: COOKBOOK_TOOLS, messages: COOKBOOK_MESSAGES }, 'qwen2.5');
      const calls = [{ name: 'get_current_weather', arguments: '{"location":"SF"}' }];
      const reply = replyTokenIds('Looking it up.', calls, 'qwen2.5');
      const next = promptTokenIds(
        {
          tools: COOKBOOK_TOOLS,
          messages: [
            ...COOKBOOK_MESSAGES,
            { role: 'assistant', content: 'Looking it up.', tool_calls: [{ id: 'a', type: 'function', function: calls[0] }] },
            { role: 'tool', tool_call_id: 'a', content: 'sunny' },
          ],
        },
        'qwen2.5',
      );
      assert.deepEqual(next.slice(0, first.length + reply.length), [...first, ...reply]);
      const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 1, keepReplies: true });
      cache.store(first, reply);
      assert.equal(cache.lookup(next), first.length + reply.length);
    });
  });

  describe('the server', () => {
    let server: OpenAITestServer | undefined;
    afterEach(async () => server?.close());

    it('bills a request by the chat template it is set to', async () => {
      server = await startOpenAITestServer({ script: () => 'Sunny.', chatTemplate: 'qwen2.5' });
      const body = { model: 'test-model', messages: COOKBOOK_MESSAGES, tools: COOKBOOK_TOOLS };
      const post = () => fetch(`${server!.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const qwen = ((await (await post()).json()) as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
      assert.equal(qwen, promptTokenIds(body, 'qwen2.5').length);
      server.setChatTemplate('openai');
      const openai = ((await (await post()).json()) as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
      assert.equal(openai, 101);
    });
  });
});
