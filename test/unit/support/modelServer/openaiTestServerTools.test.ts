import assert from 'node:assert/strict';
import { encode } from 'gpt-tokenizer';
import { OpenAI } from 'openai';
import { countChatTokens } from '../../../../src/providers/tokenCount';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../../support/modelServer/openaiTestServer';

const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather of a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    strict: true,
  },
};
const CALLS = [
  { id: 'call_sf', name: 'get_weather', arguments: '{"city": "San Francisco"}' },
  { id: 'call_ny', name: 'get_weather', arguments: '{"city": "New York"}' },
];
const USER = [{ role: 'user' as const, content: 'Weather in SF and NY?' }];

interface RawChunk {
  object: string;
  choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

/** The stream's data lines, parsed, and whether it ended with [DONE]. */
async function rawStream(url: string, body: Record<string, unknown>): Promise<{ chunks: RawChunk[]; done: boolean }> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', stream: true, messages: USER, ...body }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const text = await response.text();
  const data = text.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
  const done = data.at(-1) === '[DONE]';
  return { chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as RawChunk), done };
}

describe('OpenAI test server: function calling', () => {
  let server: OpenAITestServer;
  afterEach(async () => {
    await server?.close();
  });
  const client = () => new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });

  it('streams tool calls as the API does: name first, arguments a token at a time, then finish_reason and usage', async () => {
    server = await startOpenAITestServer({ script: [{ text: '', toolCalls: CALLS }] });
    const { chunks, done } = await rawStream(server.url, { tools: [WEATHER], stream_options: { include_usage: true } });
    assert.ok(done);
    const deltas = chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0]!);
    // The first chunk opens the assistant message with no content and names the first call.
    assert.deepEqual(deltas[0]!.delta, {
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: 'call_sf', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    });
    for (const [index, call] of CALLS.entries()) {
      const own = deltas.flatMap((d) => (d.delta.tool_calls as Array<Record<string, unknown>> | undefined) ?? []).filter((t) => t.index === index);
      assert.deepEqual(own[0], { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } });
      const fragments = own.slice(1).map((t) => {
        assert.deepEqual(Object.keys(t).sort(), ['function', 'index'], 'later pieces carry only the index and arguments');
        return (t.function as { arguments: string }).arguments;
      });
      assert.equal(fragments.length, encode(call.arguments).length, 'one fragment per token');
      assert.equal(fragments.join(''), call.arguments);
    }
    const last = deltas.at(-1)!;
    assert.deepEqual([last.delta, last.finish_reason], [{}, 'tool_calls']);
    assert.ok(deltas.slice(0, -1).every((d) => d.finish_reason === null));
    const usage = chunks.at(-1)!;
    assert.deepEqual(usage.choices, []);
    const callTokens = CALLS.reduce((n, c) => n + encode(c.name).length + encode(c.arguments).length, 0);
    assert.equal(usage.usage!.completion_tokens, callTokens);
  });

  it('sends the text first when a reply has both, and only then the calls', async () => {
    server = await startOpenAITestServer({ script: [{ text: 'Checking both.', toolCalls: CALLS }] });
    const { chunks } = await rawStream(server.url, { tools: [WEATHER] });
    const deltas = chunks.map((c) => c.choices[0]!.delta);
    const firstCall = deltas.findIndex((d) => d.tool_calls);
    assert.equal(deltas.slice(0, firstCall).map((d) => d.content).join(''), 'Checking both.');
    assert.equal(deltas[0]!.role, 'assistant');
    assert.ok(deltas.slice(1).every((d) => d.role === undefined), 'the role comes once');
    assert.ok(chunks.every((c) => c.usage === undefined), 'no usage field unless asked for');
  });

  it('satisfies the openai client’s stream accumulator, which checks every piece of every call', async () => {
    server = await startOpenAITestServer({ script: [{ text: 'Checking.', toolCalls: CALLS }] });
    const done: Array<{ name: string; index: number; parsed: unknown }> = [];
    const stream = client().chat.completions.stream({
      model: 'test-model',
      messages: USER,
      tools: [WEATHER],
      stream_options: { include_usage: true },
    });
    stream.on('tool_calls.function.arguments.done', (e) => done.push({ name: e.name, index: e.index, parsed: e.parsed_arguments }));
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, 'Checking.');
    assert.deepEqual(
      choice.message.tool_calls!.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [])),
      CALLS.map((c) => [c.id, c.name, c.arguments]),
    );
    assert.deepEqual(done, [
      { name: 'get_weather', index: 0, parsed: { city: 'San Francisco' } },
      { name: 'get_weather', index: 1, parsed: { city: 'New York' } },
    ]);
    assert.ok(completion.usage!.completion_tokens > 0);
  });

  it('runs the openai client’s own tool loop: its tool messages answer the calls and the model answers', async () => {
    server = await startOpenAITestServer({
      script: (request) =>
        request.messages.some((m) => m.role === 'tool') ? 'SF is sunny, NY is rainy.' : { text: '', toolCalls: CALLS },
    });
    const weather: Record<string, string> = { 'San Francisco': 'sunny', 'New York': 'rainy' };
    const runner = client().chat.completions.runTools({
      model: 'test-model',
      messages: USER,
      stream: true,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: WEATHER.function.description,
            parameters: WEATHER.function.parameters,
            function: (args: string) => weather[(JSON.parse(args) as { city: string }).city] ?? 'unknown',
          },
        },
      ],
    });
    assert.equal(await runner.finalContent(), 'SF is sunny, NY is rainy.');
    const second = server.requests.filter((r) => r.chat)[1]!.chat!;
    assert.deepEqual(second.messages.slice(1).map((m) => [m.role, m.toolCallId ?? m.toolCalls?.map((c) => c.id).join(',') ?? '', m.content]), [
      ['assistant', 'call_sf,call_ny', ''],
      ['tool', 'call_sf', 'sunny'],
      ['tool', 'call_ny', 'rainy'],
    ]);
  });

  it('records tools, tool_choice and parallel_tool_calls, and makes one call a turn when parallel calls are off', async () => {
    server = await startOpenAITestServer({ script: () => ({ text: '', toolCalls: CALLS }) });
    const parallel = await client().chat.completions.create({ model: 'test-model', messages: USER, tools: [WEATHER] });
    const single = await client().chat.completions.create({
      model: 'test-model',
      messages: USER,
      tools: [WEATHER],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    });
    assert.equal(parallel.choices[0]!.message.tool_calls!.length, 2);
    assert.equal(parallel.choices[0]!.message.content, null);
    assert.equal(parallel.choices[0]!.finish_reason, 'tool_calls');
    assert.deepEqual(
      single.choices[0]!.message.tool_calls!.map((c) => c.id),
      ['call_sf'],
    );
    const [first, second] = server.requests.map((r) => r.chat!);
    assert.deepEqual(first!.tools, [{ name: 'get_weather', description: WEATHER.function.description, parameters: WEATHER.function.parameters }]);
    assert.equal(first!.toolChoice, undefined);
    assert.equal(first!.parallelToolCalls, true);
    assert.deepEqual(second!.toolChoice, { function: 'get_weather' });
    assert.equal(second!.parallelToolCalls, false);
  });

  describe('refuses what the API refuses, with a 400', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['tool_choice without tools', { tool_choice: 'auto' }, /'tool_choice' is only allowed when 'tools' are specified/],
      ['parallel_tool_calls without tools', { parallel_tool_calls: false }, /'parallel_tool_calls' is only allowed when 'tools' are specified/],
      ['an empty tools list', { tools: [] }, /empty array/],
      ['a function name with spaces', { tools: [{ type: 'function', function: { name: 'get weather' } }] }, /function\.name': string does not match pattern/],
      [
        'a tool message that answers no call',
        { messages: [...USER, { role: 'tool', tool_call_id: 'call_x', content: 'sunny' }] },
        /messages with role 'tool' must be a response to a preceeding message with 'tool_calls'/,
      ],
      [
        'a call left without its result',
        {
          tools: [WEATHER],
          messages: [
            ...USER,
            { role: 'assistant', content: null, tool_calls: CALLS.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) },
            { role: 'tool', tool_call_id: 'call_sf', content: 'sunny' },
            { role: 'user', content: 'And?' },
          ],
        },
        /did not have response messages: call_ny/,
      ],
    ];
    for (const [name, body, message] of cases) {
      it(name, async () => {
        server = await startOpenAITestServer({ script: () => 'never' });
        const response = await fetch(`${server.url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'test-model', messages: USER, ...body }),
        });
        assert.equal(response.status, 400);
        const error = ((await response.json()) as { error: { message: string; type: string } }).error;
        assert.equal(error.type, 'invalid_request_error');
        assert.match(error.message, message);
      });
    }
  });

  it('answers a script that calls tools the request does not offer with a 500 that says so', async () => {
    server = await startOpenAITestServer({ script: () => ({ text: '', toolCalls: CALLS }) });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'test-model', stream: true, messages: USER }),
    });
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('x-should-retry'), 'false');
    assert.match(await response.text(), /the request offers no tools/);
  });

  it('counts earlier calls’ names and arguments and the tool messages in the prompt', async () => {
    server = await startOpenAITestServer({ script: ['Sunny.'] });
    const messages = [
      ...USER,
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_sf', type: 'function', function: { name: 'get_weather', arguments: '{"city":"SF"}' } }] },
      { role: 'tool', tool_call_id: 'call_sf', content: 'sunny' },
    ];
    await rawStream(server.url, { tools: [WEATHER], messages });
    const contentOnly = countChatTokens([{ content: USER[0]!.content }, { content: '' }, { content: 'sunny' }]);
    // The tool definitions are read too, before the conversation, as OpenAI counts a function: 7 tokens and
    // `name:description` (its period left out), 3 for its properties, then 3 and `name:type:description` each, and 12
    // after the last function.
    const definitions = 7 + encode('get_weather:Current weather of a city').length + 3 + 3 + encode('city:string:').length + 12;
    assert.equal(server.requests[0]!.schedule!.promptTokens, definitions + contentOnly + encode('get_weather').length + encode('{"city":"SF"}').length);
  });

  it('spends the token clock on the calls’ arguments too', async () => {
    server = await startOpenAITestServer({ script: [{ text: '', toolCalls: CALLS.slice(0, 1) }], latency: { tokensPerSecond: 200 } });
    const started = performance.now();
    await rawStream(server.url, { tools: [WEATHER] });
    const fragments = encode(CALLS[0]!.arguments).length;
    const schedule = server.requests[0]!.schedule!;
    assert.equal(schedule.completionTokens, fragments + encode('get_weather').length);
    // The name piece and each argument token wait one interval (5 ms) after the one before.
    assert.ok(performance.now() - started >= fragments * schedule.tokenIntervalMs, 'the arguments took their time');
  });
});
