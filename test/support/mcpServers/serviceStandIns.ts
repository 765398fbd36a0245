// MCP servers that stand in for web services an agent calls besides the workspace's tools, for the benchmark:
//
//   node serviceStandIns.js tracker [--latency TOOL=MS ...]   an issue tracker: search_issues, get_issue
//   node serviceStandIns.js docs [--latency TOOL=MS ...]      a documentation search: search
//
// Each tool answers from fixed data about ajv after its latency, which defaults to published figures for the
// service it stands in for:
// - get_issue, 206 ms: the median response time of GitHub's API for one resource (a gist) over 10,000 requests;
//   search_issues, 527 ms: the same sample's 90th percentile, since its listing requests were "significantly slower"
//   than single reads (Mike Bostock, "Gist API Latency", bl.ocks.org/mbostock/5503544, May 2013).
// - search, 600 ms: Exa's median search latency (p50 600 ms, p95 1,800 ms; Scavio, "Search API latency budget",
//   scavio.dev/glossary/search-api-latency-budget, figures for 2026).
// Every tool is read-only.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

export const STAND_IN_LATENCY_MS = { search_issues: 527, get_issue: 206, search: 600 } as const;

export interface Issue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  labels: string[];
  author: string;
  created_at: string;
  body: string;
}

export const ISSUES: Issue[] = [
  {
    number: 1412,
    title: 'JTD: a ref to a missing definition throws MissingRefError at compile time',
    state: 'open',
    labels: ['jtd', 'bug'],
    author: 'kmoreau',
    created_at: '2024-05-06T09:12:00Z',
    body: 'Compiling a JTD schema whose `ref` names a definition that is not in `definitions` throws MissingRefError "No definition <ref>" from compile() rather than reporting an invalid schema, so `validateSchema` passes and the error only shows later.',
  },
  {
    number: 1377,
    title: 'strictTuples warns for a tuple with minItems but no maxItems',
    state: 'open',
    labels: ['strict mode'],
    author: 'dvasquez',
    created_at: '2024-04-22T16:40:00Z',
    body: 'With strictTuples: "log", `items: [{type: "string"}], minItems: 1` logs "is 1-tuple, but minItems or maxItems/additionalItems are not specified or different". The schema is intended: extra items are allowed. The docs say the check wants both limits or additionalItems; please say so in the message.',
  },
  {
    number: 1290,
    title: 'uniqueItems is quadratic for arrays of objects',
    state: 'closed',
    labels: ['performance'],
    author: 'hlindqvist',
    created_at: '2024-03-11T11:05:00Z',
    body: 'Validating 20,000 objects with uniqueItems takes seconds: each pair is compared with deep equal. Closed: by design; for scalar item types the keyword uses a single pass.',
  },
  {
    number: 1401,
    title: 'Unknown format error should name the schema path',
    state: 'open',
    labels: ['formats', 'enhancement'],
    author: 'tnakamura',
    created_at: '2024-05-01T08:30:00Z',
    body: 'The unknown format error already says "ignored in schema at path"; with $data formats there is no compile-time error at all, validation just fails. Could strict mode warn there too?',
  },
  {
    number: 1366,
    title: 'strictRequired flags properties defined in a sibling allOf',
    state: 'open',
    labels: ['strict mode', 'bug'],
    author: 'kmoreau',
    created_at: '2024-04-15T13:20:00Z',
    body: 'With strictRequired: true, a property listed in required but defined in a sibling allOf branch is reported as "required property is not defined in properties".',
  },
];

export interface DocPage {
  title: string;
  url: string;
  text: string;
}

export const DOCS: DocPage[] = [
  {
    title: 'Strict mode: prohibit unconstrained tuples',
    url: 'https://ajv.js.org/strict-mode.html#prohibit-unconstrained-tuples',
    text: 'With option strictTuples, a schema with items as an array (a tuple) must also set minItems and additionalItems: false, or maxItems equal to the number of items; otherwise ajv logs a warning ("log", the default in strict mode) or throws (true).',
  },
  {
    title: 'Strict mode: defined required properties',
    url: 'https://ajv.js.org/strict-mode.html#defined-required-properties',
    text: 'With option strictRequired, a property listed in required must be defined in properties of the same schema object; by default the check is off.',
  },
  {
    title: 'Formats',
    url: 'https://ajv.js.org/guide/formats.html',
    text: 'ajv does not include formats since v7; add them with ajv-formats or addFormat. An unknown format throws at schema compilation unless strictSchema is false.',
  },
  {
    title: 'JSON Type Definition: ref',
    url: 'https://ajv.js.org/json-type-definition.html#ref-schema-form',
    text: 'A ref form names a definition in the root schema\'s definitions; a ref to a definition that does not exist makes the schema invalid.',
  },
];

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

/** Issues whose title, body and labels hold every word of the query, newest number first. */
export function searchIssues(query: string): Issue[] {
  const wanted = words(query);
  return ISSUES.filter((i) => wanted.every((w) => `${i.title} ${i.body} ${i.labels.join(' ')}`.toLowerCase().includes(w))).sort((a, b) => b.number - a.number);
}

/** Pages whose title or text holds every word of the query, in the docs' order. */
export function searchDocs(query: string): DocPage[] {
  const wanted = words(query);
  return DOCS.filter((p) => wanted.every((w) => `${p.title} ${p.text}`.toLowerCase().includes(w)));
}

const readOnly = { readOnlyHint: true, openWorldHint: true };

const TOOLS: Record<'tracker' | 'docs', Tool[]> = {
  tracker: [
    {
      name: 'search_issues',
      description: 'Searches the issue tracker: issues whose title, body or labels hold every word of the query, newest first.',
      inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Words to find.' } }, required: ['query'] },
      annotations: readOnly,
    },
    {
      name: 'get_issue',
      description: 'One issue in full: title, state, labels, author, date and body.',
      inputSchema: { type: 'object', properties: { number: { type: 'integer', description: 'The issue number.' } }, required: ['number'] },
      annotations: readOnly,
    },
  ],
  docs: [
    {
      name: 'search',
      description: "Searches the library's documentation pages; each result has its title, URL and text.",
      inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Words to find.' } }, required: ['query'] },
      annotations: readOnly,
    },
  ],
};

function result(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

function call(name: string, args: Record<string, unknown>): CallToolResult {
  switch (name) {
    case 'search_issues': {
      const found = searchIssues(String(args.query ?? ''));
      const items = found.map(({ number, title, state, labels }) => ({ number, title, state, labels }));
      const lines = items.map((i) => `#${i.number} [${i.state}] ${i.title} (${i.labels.join(', ')})`);
      return result(`${items.length} issues for "${String(args.query)}"${lines.length ? `:\n${lines.join('\n')}` : ''}`, { total: items.length, items });
    }
    case 'get_issue': {
      const issue = ISSUES.find((i) => i.number === Number(args.number));
      if (!issue) return { content: [{ type: 'text', text: `no issue #${String(args.number)}` }], isError: true };
      const text = `#${issue.number} [${issue.state}] ${issue.title}\nlabels: ${issue.labels.join(', ')}; opened by ${issue.author} on ${issue.created_at}\n\n${issue.body}`;
      return result(text, { ...issue });
    }
    case 'search': {
      const results = searchDocs(String(args.query ?? ''));
      const text = results.map((p) => `${p.title} — ${p.url}\n${p.text}`).join('\n\n');
      return result(text || `no page for "${String(args.query)}"`, { results });
    }
    default:
      return { content: [{ type: 'text', text: `no tool ${name}` }], isError: true };
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const kind = argv[0] === 'docs' ? 'docs' : 'tracker';
  const latency: Record<string, number> = { ...STAND_IN_LATENCY_MS };
  argv.forEach((arg, i) => {
    if (arg !== '--latency') return;
    const [tool, ms] = (argv[i + 1] ?? '').split('=');
    if (tool) latency[tool] = Number(ms);
  });
  const server = new Server({ name: `llm-compiler-bench-${kind}`, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS[kind] }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    await new Promise((resolve) => setTimeout(resolve, latency[name] ?? 0));
    return call(name, (request.params.arguments ?? {}) as Record<string, unknown>);
  });
  await server.connect(new StdioServerTransport());
}

// Bundled into the benchmark, `require.main === module` holds for the bundle too: check the script really is this file.
if (require.main === module && /serviceStandIns\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) void main();
