// The tools' contract: what the planner sees of a tool, what a tool is given and returns, and what it read.
import type { JsonObject, JsonValue } from './json';

/** A JSON Schema object, as far as tool parameters need it. */
export interface JsonSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null' | Array<string>;
  description?: string;
  enum?: JsonValue[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: JsonValue;
  additionalProperties?: boolean | JsonSchema;
}

/**
 * The JSON schema of a tool's arguments, one object keyed by parameter name, each described as the planner reads it:
 * what a model calling the tool as a function, an MCP client and VS Code are all given.
 */
export function inputSchemaOf(spec: ToolSpec): JsonSchema & { type: 'object'; properties: Record<string, JsonSchema> } {
  return {
    type: 'object',
    properties: Object.fromEntries(spec.params.map((p) => [p.name, { ...p.schema, description: p.description }])),
    required: spec.params.filter((p) => !p.optional).map((p) => p.name),
    additionalProperties: false,
  };
}

export interface ToolParam {
  name: string;
  schema: JsonSchema;
  optional?: boolean;
  description: string;
}

/** What the planner sees of a tool. */
export interface ToolSpec {
  name: string;
  /** One paragraph: what it does, what it returns, when to use it. */
  description: string;
  /** Positional order; keywords use the same names. */
  params: ToolParam[];
}

/** A location in a workspace file. Lines and columns are 1-based. */
export interface FileLocation {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to its workspace root, with `/` separators, for display and prompts. */
  relPath: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** What a tool returns. */
export interface ToolOutput {
  /** Text for the model. Tools keep it within their budget; truncation is marked visibly in the text. */
  text: string;
  /** Structured result, passed by a bare `$N` reference. Defaults to `text`. */
  value?: JsonValue;
  /** File locations for clickable references and the graph panel. */
  locations?: FileLocation[];
  truncated?: boolean;
}

export interface ToolContext {
  signal: AbortSignal;
  /** Workspace roots, absolute, symlinks resolved. The first is the default. */
  roots: string[];
  /** Character budget for `ToolOutput.text`. */
  maxChars: number;
  /** Present when results may be reused by later questions: the tool says here what its result depends on. */
  reads?: ToolReads;
}

/**
 * What a tool result was computed from. A result is reused only while everything recorded here is unchanged; a
 * tool that records nothing, or calls `volatile`, is run afresh every time.
 */
export interface ToolReads {
  /**
   * A file, or a folder's entries, that the result reflects (or its absence). Awaited before reading it; or, for a
   * file found only while computing the result, afterwards with `since` (when the computation began): a change
   * from then on may be missing from the result, which is then not reused.
   */
  path(abs: string, options?: { since?: number }): Promise<void>;
  /**
   * Every entry a search under `root` selects (ignore files and `excludeGlobs` honoured, `.git` skipped): their
   * names, and their contents when `contents` is set. `under` (root-relative, `/`-separated) and `depth` (levels of
   * folders read) narrow it to a listing. Changes since `since` (default: when the call started) count. Awaited
   * before searching.
   */
  tree(
    root: string,
    options: { excludeGlobs: readonly string[]; contents: boolean; under?: string; depth?: number; since?: number },
  ): Promise<void>;
  /** A git repository's HEAD, refs, index and config. Awaited before running git. */
  git(gitDir: string, commonDir: string): Promise<void>;
  /** The result depends on something that cannot be checked cheaply: it is not reused. */
  volatile(): void;
}

export interface Tool extends ToolSpec {
  /** Arguments arrive resolved, keyed by parameter name, already validated against the schemas. */
  run(args: JsonObject, ctx: ToolContext): Promise<ToolOutput>;
  /** Overrides the run's per-task timeout. */
  timeoutMs?: number;
  /**
   * Prepares what the tool's first call would otherwise wait for (e.g. building a language service), started when a
   * question arrives so it overlaps the planner. Never throws; aborting the signal stops it.
   */
  warmUp?(ctx: { roots: readonly string[]; signal: AbortSignal }): Promise<void>;
  /**
   * Where a tool comes from when it is not one of the workspace tools: an MCP server the user named, or another VS Code
   * extension. Such a tool is external: its results are never reused across questions (nothing can tell whether they
   * went stale), and surfaces name its source.
   */
  origin?: ToolOrigin;
  /**
   * The tool's whole input schema, when it has one of its own (an external tool's), nested objects and arrays
   * included; `params` then lists its top-level properties. Arguments are checked against it, and a model calling
   * tools as functions is given it.
   */
  inputSchema?: JsonSchema;
}

/** A tool's name as plans write it: every character outside `[A-Za-z0-9_]` becomes `_` (tools of other sources). */
export function plannerToolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The source of an external tool: the MCP server's name as configured, or the extension's id. */
export interface ToolOrigin {
  kind: 'mcp' | 'extension';
  name: string;
}

/** What one tool result was computed from, as its tool recorded it (see `ToolReads`). */
export interface ReadRecord {
  /**
   * Absolute paths of the files and folders the result depends on, for dropping it as soon as one changes. Searched
   * trees are not among them (a change anywhere under a root, ignored files included, would drop every search);
   * `unchanged` checks those.
   */
  readonly paths: readonly string[];
  /** True when the result depends on a git repository's state. */
  readonly git: boolean;
  /** Resolves true when nothing recorded has changed; a bounded number of cheap checks (stats). */
  unchanged(signal: AbortSignal): Promise<boolean>;
}

/** The recording of one tool call's reads. */
export interface ReadRecording {
  readonly reads: ToolReads;
  /** Once the tool has finished: what it read, or undefined when that cannot be checked (the result is not kept). */
  finish(): Promise<ReadRecord | undefined>;
}

/** Records and checks reads; the file-system side lives with the tools, so the core stays free of it. */
export interface ReadTracker {
  /** Called right before a tool runs. */
  record(): ReadRecording;
}
