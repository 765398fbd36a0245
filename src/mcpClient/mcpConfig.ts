import * as path from 'node:path';
// The ES module build: the UMD one (package main) loads its parts with requires a bundle cannot follow.
import { parse as parseJsonc, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
import type { ParseError } from 'jsonc-parser/lib/esm/main.js';

// The MCP configuration files users already have: the `mcpServers` JSON of Claude Desktop, Cursor and Claude Code,
// and VS Code's `.vscode/mcp.json` (`servers`, with `${…}` variables). Only files the user names are read.

export type McpServerConfig =
  | { name: string; transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string }
  | { name: string; transport: 'http'; url: string; headers: Record<string, string> };

/** One server a configuration names: ready to start, or why it cannot be (it is then left out, named). */
export type ConfigEntry = { name: string; file: string } & ({ server: McpServerConfig } | { problem: string });

/** What `${…}` variables stand for. */
export interface ConfigVariables {
  /** The workspace folder (`--cwd`), absolute. */
  workspaceFolder: string;
  env: NodeJS.ProcessEnv;
  /** The user's home folder. */
  home: string;
}

/**
 * The servers of one configuration file's text, in the file's order; a file that is not a configuration at all
 * (not JSON, neither shape) is a `problem` for the whole command line.
 */
export function readMcpConfig(text: string, file: string, vars: ConfigVariables): { entries: ConfigEntry[] } | { problem: string } {
  const errors: ParseError[] = [];
  // VS Code's mcp.json is JSON with comments and trailing commas.
  const json: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    return { problem: `${file} is not valid JSON (${printParseErrorCode(first.error)} at line ${line})` };
  }
  if (!isObject(json)) return { problem: `${file} holds no object; an MCP configuration is {"mcpServers": {…}} or {"servers": {…}}` };
  const shape = isObject(json.mcpServers) ? 'mcpServers' : isObject(json.servers) ? 'servers' : undefined;
  if (!shape) {
    return { problem: `${file} has neither "mcpServers" (Claude Desktop, Cursor, Claude Code) nor "servers" (VS Code's mcp.json)` };
  }
  const servers = json[shape] as Record<string, unknown>;
  const entries = Object.entries(servers).map(([name, raw]): ConfigEntry => {
    const entry = serverOf(name, raw, vars);
    return typeof entry === 'string' ? { name, file, problem: entry } : { name, file, server: entry };
  });
  return { entries };
}

/** One server's entry, its variables filled in, or what is wrong with it. */
function serverOf(name: string, raw: unknown, vars: ConfigVariables): McpServerConfig | string {
  if (!isObject(raw)) return 'its entry is not an object';
  if (raw.disabled === true) return 'it is marked "disabled"';
  const type = raw.type;
  const isHttp = type === 'http' || type === 'streamable-http' || type === 'streamableHttp' || (type === undefined && raw.url !== undefined);
  const fill = (value: string) => fillVariables(value, vars);
  try {
    if (type === 'sse') return 'it uses the older SSE transport ("type": "sse"), which is not supported here; use its Streamable HTTP address';
    if (isHttp) {
      if (typeof raw.url !== 'string' || !raw.url) return 'it has no "url"';
      const url = fill(raw.url);
      if (!/^https?:\/\//i.test(url)) return `its url "${url}" is not an http(s) address`;
      return { name, transport: 'http', url, headers: stringMap(raw.headers, 'headers', fill) };
    }
    if (type !== undefined && type !== 'stdio') return `its "type" is "${String(type)}"; stdio and http are supported`;
    if (typeof raw.command !== 'string' || !raw.command.trim()) return 'it has neither "command" nor "url"';
    if (raw.args !== undefined && !(Array.isArray(raw.args) && raw.args.every((a) => typeof a === 'string'))) return '"args" is not a list of strings';
    const cwd = typeof raw.cwd === 'string' && raw.cwd ? path.resolve(vars.workspaceFolder, fill(raw.cwd)) : vars.workspaceFolder;
    return {
      name,
      transport: 'stdio',
      command: fill(raw.command),
      args: ((raw.args as string[] | undefined) ?? []).map(fill),
      env: stringMap(raw.env, 'env', fill),
      cwd,
    };
  } catch (error) {
    return error instanceof ConfigValueError ? error.message : String(error);
  }
}

class ConfigValueError extends Error {}

function stringMap(raw: unknown, field: string, fill: (value: string) => string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new ConfigValueError(`"${field}" is not an object`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // VS Code's mcp.json allows numbers and null in env; null unsets.
    if (value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigValueError(`"${field}.${key}" is not a string`);
    }
    out[key] = fill(String(value));
  }
  return out;
}

/**
 * Fills in `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${pathSeparator}` and `${env:NAME}`
 * (VS Code, Cursor), and `${NAME}` / `${NAME:-default}` (Claude Code). `${input:…}` asks VS Code to prompt for a
 * value, which a command line cannot do: the server is left out, saying so. Other variables stay as written.
 */
export function fillVariables(value: string, vars: ConfigVariables): string {
  return value.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner === 'workspaceFolder') return vars.workspaceFolder;
    if (inner === 'workspaceFolderBasename') return path.basename(vars.workspaceFolder);
    if (inner === 'userHome') return vars.home;
    if (inner === 'pathSeparator' || inner === '/') return path.sep;
    if (inner.startsWith('env:')) return vars.env[inner.slice(4)] ?? '';
    if (inner.startsWith('input:')) {
      throw new ConfigValueError(
        `it needs \${${inner}}, a value VS Code prompts for, which a command line cannot do; ` +
          `put the value in an environment variable and write \${env:NAME} instead`,
      );
    }
    const claude = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(inner);
    if (claude) return vars.env[claude[1]!] ?? claude[2] ?? '';
    return whole;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
