import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LineSplitter, MAX_MESSAGE_BYTES, depthOver } from '../../../src/mcp/lineTransport';
import { MCP_OPENING, runMcpInProcess } from '../../support/mcpInProcess';

describe('LineSplitter', () => {
  it('splits lines across chunks, drops a line over the limit as it streams, and goes on with the next', () => {
    const lines = new LineSplitter(8);
    assert.deepEqual(lines.push(Buffer.from('ab')), []);
    assert.deepEqual(lines.push(Buffer.from('c\r\nde\n12345')), [{ line: 'abc' }, { line: 'de' }]);
    assert.deepEqual(lines.push(Buffer.from('6789')), []);
    assert.deepEqual(lines.push(Buffer.from('0000\nok\n')), [{ tooLong: true }, { line: 'ok' }]);
    assert.deepEqual(lines.push(Buffer.from('last')), []);
    assert.deepEqual(lines.flush(), [{ line: 'last' }]);
    assert.deepEqual(lines.flush(), []);
  });

  it('measures depth without recursion, so 100,000 levels neither overflow nor pass', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.equal(depthOver(deep, 64), true);
    assert.equal(depthOver({ a: [{ b: 1 }] }, 3), false);
    assert.equal(depthOver({ a: [{ b: {} }] }, 3), true);
  });
});

describe('llm-compiler mcp: protocol edges answer an error and keep serving', function () {
  this.timeout(30_000);
  let repo: string;
  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-edges-')));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  });
  after(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  it('an over-long line, a line that is not JSON, 5,000 levels of nesting, a 5 MB and a 200 KB pattern: each its JSON-RPC error, then a real call answers', async () => {
    const { stdin, exit, out, err } = runMcpInProcess(repo, 'http://127.0.0.1:9/v1');
    const call = (id: number, name: string, args: unknown) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    const nested = `${'{"a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
    const lines = [
      ...MCP_OPENING,
      'x'.repeat(MAX_MESSAGE_BYTES + 10),
      '{"jsonrpc": "2.0", "id": 3, "method": ',
      `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"grep","arguments":{"pattern":"add","path":${nested}}}}`,
      call(5, 'grep', { pattern: 'a'.repeat(5_000_000) }),
      call(6, 'grep', { pattern: 'a'.repeat(200_000) }),
      call(7, 'grep', { pattern: 'function add' }),
    ];
    // In chunks, as a pipe delivers them.
    const text = lines.map((l) => `${l}\n`).join('');
    for (let at = 0; at < text.length; at += 65_536) stdin.write(text.slice(at, at + 65_536));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!out().includes('"id":7')) return;
        clearInterval(check);
        resolve();
      }, 10);
    });
    stdin.end();
    assert.equal(await exit, 0);
    const replies = out().trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number | null; error?: { code: number; message: string }; result?: { content: Array<{ text: string }> } });
    // Replies to requests with an id may come in any order; those without one come in the order of their lines.
    const shown = (r: (typeof replies)[number]) => [r.id, r.error?.code, r.error?.message];
    assert.deepEqual(replies.filter((r) => r.id === null).map(shown), [
      [null, -32700, `Parse error: a message over ${MAX_MESSAGE_BYTES} bytes`],
      [null, -32700, 'Parse error: the line is not JSON'],
      [null, -32700, `Parse error: a message over ${MAX_MESSAGE_BYTES} bytes`],
    ]);
    const answered = replies.filter((r) => r.id !== null).sort((a, b) => a.id! - b.id!);
    assert.deepEqual(answered.map(shown), [
      [1, undefined, undefined],
      [4, -32602, 'Invalid params: nested deeper than 64 levels'],
      [6, -32602, 'MCP error -32602: grep: an argument of 200000 characters; at most 32768 are taken'],
      [7, undefined, undefined],
    ]);
    assert.match(answered.at(-1)!.result!.content[0]!.text, /src\/math\.ts\n  1: export function add/);
    assert.doesNotMatch(err(), /E2BIG|Maximum call stack/);
  });
});
