// An MCP server for tests and the benchmark, written with the SDK, whose behaviour the command line chooses:
//
//   node --import tsx test/support/mcpServers/fixtureServer.ts [options]
//     --latency-ms N     `lookup` answers after N ms (default 0): a network tool's latency, for the benchmark
//     --hang             `wait` never answers; `cancellations` lists the requests the client cancelled
//     --crash            `crash` makes the server exit in the middle of the call, after a line on stderr
//     --clash            two read-only tools, `read-file` and `read_file`, whose names clash once made plan names
//     --huge-result      `huge(chars)` answers with that many characters of text
//     --huge-list N      lists N more tools with long descriptions
//     --stubborn         ignores the end of its input, SIGINT and SIGTERM: only SIGKILL ends it
//     --slow-start MS    waits that long before it reads its input (the client's start-up limit fires)
//     --noisy-stderr N   writes N lines to stderr at start
//     --http PORT        serves Streamable HTTP on 127.0.0.1:PORT (0: any free port, printed on stdout) instead of stdio
//
// Every tool but `write_note` is marked read-only; `write_note` records what it was given, readable with `notes`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string): number | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : Number(argv[i + 1]);
};

const latencyMs = value('--latency-ms') ?? 0;
const readOnly = { readOnlyHint: true, openWorldHint: false };

const tools: Tool[] = [
  {
    name: 'lookup',
    description: `Looks a key up in the fixture's table; answers after ${latencyMs} ms.`,
    inputSchema: { type: 'object', properties: { key: { type: 'string', description: 'The key to look up.' } }, required: ['key'] },
    annotations: readOnly,
  },
  {
    name: 'write_note',
    description: 'Writes a note (a tool with an effect: not read-only).',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  {
    name: 'notes',
    description: 'The notes written so far.',
    inputSchema: { type: 'object', properties: {} },
    annotations: readOnly,
  },
  {
    name: 'nested',
    description: 'Takes a nested object: a list of edits, each with its text.',
    inputSchema: {
      type: 'object',
      properties: {
        edits: {
          type: 'array',
          items: { type: 'object', properties: { oldText: { type: 'string' }, newText: { type: 'string' } }, required: ['oldText', 'newText'] },
        },
        dryRun: { type: 'boolean', default: true },
      },
      required: ['edits'],
      additionalProperties: false,
    },
    annotations: readOnly,
  },
];
if (flag('--hang')) {
  tools.push(
    { name: 'wait', description: 'Never answers.', inputSchema: { type: 'object', properties: {} }, annotations: readOnly },
    { name: 'cancellations', description: 'The requests the client cancelled.', inputSchema: { type: 'object', properties: {} }, annotations: readOnly },
  );
}
if (flag('--crash')) tools.push({ name: 'crash', description: 'Exits mid-call.', inputSchema: { type: 'object', properties: {} }, annotations: readOnly });
if (flag('--clash')) {
  for (const name of ['read-file', 'read_file']) tools.push({ name, description: `${name}, read-only.`, inputSchema: { type: 'object', properties: {} }, annotations: readOnly });
}
if (flag('--huge-result')) {
  tools.push({
    name: 'huge',
    description: 'Answers with as many characters as asked.',
    inputSchema: { type: 'object', properties: { chars: { type: 'number' } }, required: ['chars'] },
    annotations: readOnly,
  });
}
for (let i = 0; i < (value('--huge-list') ?? 0); i++) {
  tools.push({ name: `filler_${i}`, description: `Filler ${i}. ${'A long description. '.repeat(500)}`, inputSchema: { type: 'object', properties: {} }, annotations: readOnly });
}

const notes: string[] = [];
const cancelled: string[] = [];

function text(body: string, structured?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: body }], ...(structured ? { structuredContent: structured } : {}) };
}

function newServer(): Server {
  const server = new Server({ name: 'llm-compiler-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    switch (request.params.name) {
      case 'lookup': {
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        const key = String(args.key);
        return text(`${key} = value of ${key}`, { key, value: `value of ${key}`, length: key.length });
      }
      case 'write_note':
        notes.push(String(args.text));
        return text(`noted: ${String(args.text)}`);
      case 'notes':
        return text(notes.join('\n') || '(none)', { notes });
      case 'nested':
        return text(`${(args.edits as unknown[]).length} edits`);
      case 'wait':
        return new Promise<CallToolResult>(() => {
          extra.signal.addEventListener('abort', () => cancelled.push(String(extra.requestId)));
        });
      case 'cancellations':
        return text(cancelled.join(',') || '(none)', { cancelled });
      case 'crash':
        process.stderr.write('about to crash: the fixture was asked to\n');
        setTimeout(() => process.exit(3), 10);
        return new Promise<CallToolResult>(() => undefined);
      case 'read-file':
      case 'read_file':
        return text(request.params.name);
      case 'huge':
        return text('h'.repeat(Number(args.chars)));
      default:
        return { content: [{ type: 'text', text: `no tool ${request.params.name}` }], isError: true };
    }
  });
  return server;
}

async function main(): Promise<void> {
  if (flag('--stubborn')) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
    // Keeps running after its input ends.
    setInterval(() => undefined, 60_000);
  }
  for (let i = 0; i < (value('--noisy-stderr') ?? 0); i++) process.stderr.write(`noise line ${i}\n`);
  const slow = value('--slow-start');
  if (slow) await new Promise((resolve) => setTimeout(resolve, slow));
  const port = value('--http');
  if (port === undefined) {
    await newServer().connect(new StdioServerTransport());
    return;
  }
  const http = createServer((req, res) => {
    // One server and transport per request: a stateless Streamable HTTP server.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const server = newServer();
    res.on('close', () => void transport.close().then(() => server.close()));
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  http.listen(port, '127.0.0.1', () => process.stdout.write(`${(http.address() as AddressInfo).port}\n`));
}

void main();
