// `llm-compiler`: reads the command line and hands it to its command, `ask` (cli/) or `mcp` (mcp/).
import { version } from '../../package.json';
import { runAsk } from '../cli/askCommand';
import { EXIT } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { runMcp } from '../mcp/mcpCommand';
import { USAGE, parseCli } from './commandLine';

async function main(): Promise<ExitCode> {
  const command = parseCli(process.argv.slice(2), process.env, process.cwd());
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return EXIT.answered;
    case 'version':
      process.stdout.write(`${version}\n`);
      return EXIT.answered;
    case 'usage-error':
      // One line: the full help would push the mistake off the screen.
      process.stderr.write(`llm-compiler: ${command.message} (see llm-compiler --help)\n`);
      return EXIT.usage;
    case 'ask': {
      const interrupt = new AbortController();
      // The first Ctrl-C (or SIGTERM) cancels the run cleanly, MCP servers closed; a second one does not wait for
      // the cleanup (the servers are killed on the way out).
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => {
          if (interrupt.signal.aborted) process.exit(EXIT.cancelled);
          interrupt.abort();
        });
      }
      return runAsk(command.options, { stdout: process.stdout, stderr: process.stderr, env: process.env, interrupt: interrupt.signal });
    }
    case 'mcp': {
      const stop = new AbortController();
      // A client stops its server by closing stdin, or with SIGTERM; both stop the calls in flight first.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => {
          if (stop.signal.aborted) process.exit(EXIT.cancelled);
          stop.abort();
        });
      }
      return runMcp(command.options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, interrupt: stop.signal });
    }
  }
}

main().then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    process.stderr.write(`llm-compiler: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitAfterFlush(EXIT.failed);
  },
);

/** Exits once stdout has taken everything, without waiting for idle keep-alive sockets or language services. */
function exitAfterFlush(code: ExitCode): void {
  process.stdout.write('', () => process.exit(code));
}
