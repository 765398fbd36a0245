import { PassThrough } from 'node:stream';
import { runMcp } from '../../src/mcp/mcpCommand';

/** The first two lines a client sends: `initialize`, then `notifications/initialized`. */
export const MCP_OPENING = [
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } }),
  JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
];

/**
 * `llm-compiler mcp` in this process over two pipes, on `cwd`, model `test-model` at `baseURL`: write lines on
 * `stdin`, read what it wrote with `out()` and `err()`; `exit` is its exit code. `inputEndGraceMs` replaces the
 * grace the calls in flight get once stdin ends.
 */
export function runMcpInProcess(cwd: string, baseURL: string, timing: { inputEndGraceMs?: number } = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exit = runMcp(
    { cwd, mode: 'compiler', baseURL, baseURLSource: '--base-url', model: 'test-model', readAhead: 'off' },
    { stdin, stdout, stderr: { write: (t: string) => (err += t) }, interrupt: new AbortController().signal, ...timing },
  );
  return { stdin, stdout, exit, out: () => out, err: () => err };
}
