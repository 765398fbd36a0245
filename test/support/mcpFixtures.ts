import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

// MCP servers for the tests: the two npm servers nobody here wrote, and the fixture server of test/support, as the
// entries of an MCP configuration file.

const PROJECT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(PROJECT, 'test', 'support', 'mcpServers', 'fixtureServer.ts');

export interface StdioEntry {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** `@modelcontextprotocol/server-everything` over stdio. */
export function everythingServer(): StdioEntry {
  return { command: process.execPath, args: [path.join(PROJECT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] };
}

/** `@modelcontextprotocol/server-filesystem`, allowed the workspace folder (`${workspaceFolder}` filled in). */
export function filesystemServer(): StdioEntry {
  return { command: process.execPath, args: [path.join(PROJECT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), '${workspaceFolder}'] };
}

let bundled: string | undefined;

/**
 * The fixture server as one plain script, bundled once per test process: it starts in a fraction of the time the
 * TypeScript source takes through tsx, which matters for suites that start a dozen servers.
 */
export function fixtureScript(): string {
  if (!bundled) {
    const out = path.join(tmpdir(), `llm-compiler-mcp-fixture-${process.pid}.cjs`);
    buildSync({ entryPoints: [FIXTURE], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning' });
    bundled = out;
  }
  return bundled;
}

/** The fixture server (see fixtureServer.ts for its flags). */
export function fixtureServer(...flags: string[]): StdioEntry {
  return { command: process.execPath, args: [fixtureScript(), ...flags] };
}

/** Writes `{"mcpServers": servers}` to `file`; resolves with the file's path. */
export async function writeMcpConfig(file: string, servers: Record<string, StdioEntry | { url: string; headers?: Record<string, string> }>): Promise<string> {
  await writeFile(file, JSON.stringify({ mcpServers: servers }, null, 2));
  return file;
}

/** The fixture server serving Streamable HTTP on a free port; `stop` ends it. */
export async function startHttpFixture(...flags: string[]): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const entry = fixtureServer(...flags, '--http', '0');
  const child = spawn(entry.command, entry.args, { cwd: entry.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
