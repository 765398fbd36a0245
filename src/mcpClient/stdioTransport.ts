import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MessageLines } from './messageLines';
import { TextTail } from './textTail';

export interface StdioServerSpec {
  command: string;
  args: readonly string[];
  /** Added to the few variables every server gets (PATH, HOME, …); nothing else of this process's environment. */
  env: Readonly<Record<string, string>>;
  cwd: string;
}

export interface StdioTransportOptions {
  /** A message longer than this (characters) is cut while it is read. */
  maxMessageChars: number;
  /** How much of the server's stderr is kept for error messages: its last characters. */
  stderrTailChars: number;
  /** How long a server may take to exit once its input is closed, and again after SIGTERM (milliseconds). */
  exitGraceMs: number;
}

/** Servers still running, stopped by force if this process exits before closing them (see `stopAllAtExit`). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** On Linux and macOS each server is a process group of its own, so stopping it stops what it started too. */
const OWN_GROUP = process.platform !== 'win32';

function signalServer(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/**
 * The last resort: whatever way this process ends (an uncaught error, `process.exit` on a second Ctrl-C), no server
 * it started outlives it. Exit handlers cannot wait, so this kills at once; the orderly paths close servers first.
 */
function stopAllAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) signalServer(child, 'SIGKILL');
  });
}

/**
 * The stdio transport of an MCP server this process starts: the SDK's framing (one JSON-RPC message a line), with
 * what a user's servers need from a client that must not be hurt by them: each message bounded while it is read,
 * stderr drained and only its tail kept (a chatty server neither floods the terminal nor blocks on a full pipe),
 * the server in a process group of its own, and a close that always ends it: input closed, then SIGTERM, then
 * SIGKILL to the group.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly stderr: TextTail;
  private exited: Promise<void> | undefined;
  /** How the process ended, once it has. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    private readonly spec: StdioServerSpec,
    private readonly options: StdioTransportOptions,
  ) {
    this.stderr = new TextTail(options.stderrTailChars);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the server wrote to stderr, joined by ` | `. */
  stderrLines(lines: number): string {
    return this.stderr.lastLines(lines);
  }

  start(): Promise<void> {
    if (this.child) throw new Error('the server was started already');
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.command, [...this.spec.args], {
        cwd: this.spec.cwd,
        env: { ...getDefaultEnvironment(), ...this.spec.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: OWN_GROUP,
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      stopAllAtExit();
      running.add(child);
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(child);
      });
      child.once('close', () => this.onclose?.());
      child.once('error', (error) => {
        running.delete(child);
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.stdin!.on('error', (error) => this.onerror?.(error));
      const lines = new MessageLines(this.options.maxMessageChars);
      const decoder = new StringDecoder('utf8');
      child.stdout!.on('data', (chunk: Buffer) => this.receive(lines.push(decoder.write(chunk))));
      child.stdout!.on('end', () => this.receive([...lines.push(decoder.end()), ...lines.flush()]));
      const errDecoder = new StringDecoder('utf8');
      child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(errDecoder.write(chunk)));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable || this.exit) throw new Error('the server is not running');
    const text = `${JSON.stringify(message)}\n`;
    if (!stdin.write(text)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /** Ends the server: its input closed first (most servers exit then), SIGTERM after a grace, SIGKILL after another. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    const exited = this.exited;
    const within = (ms: number) =>
      Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
    if (!this.exit) {
      child.stdin?.end();
      if (!(await within(this.options.exitGraceMs))) {
        signalServer(child, 'SIGTERM');
        if (!(await within(this.options.exitGraceMs))) {
          signalServer(child, 'SIGKILL');
          await within(this.options.exitGraceMs);
        }
      }
    }
    // What the server started in its group (a wrapper's child, say) ends with it.
    if (OWN_GROUP) signalServer(child, 'SIGTERM');
    running.delete(child);
  }

  private receive(lines: string[]): void {
    for (const line of lines) {
      if (!line.trim()) continue;
      let message: JSONRPCMessage;
      try {
        message = JSONRPCMessageSchema.parse(JSON.parse(line));
      } catch (error) {
        // A line that is not a message (a server logging to stdout) is reported and skipped, as the SDK does.
        this.onerror?.(new Error(`not a JSON-RPC message: ${line.slice(0, 200)}`, { cause: error }));
        continue;
      }
      this.onmessage?.(message);
    }
  }
}
