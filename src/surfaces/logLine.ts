import type { CompilerEvent } from '../shared/runEvents';
import { clip, formatOrigin } from '../shared/format';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const TEXT_CHARS = 200;

/**
 * One log line per run event. Events carry no secrets (no API keys, no headers); tool output is summarised by its
 * size, not copied, so the log stays readable.
 */
export function logLine(runId: string, event: CompilerEvent): { level: LogLevel; text: string } {
  const head = `[${runId.slice(0, 8)}] +${Math.round(event.t)}ms ${event.type}`;
  const line = (level: LogLevel, rest: string) => ({ level, text: rest ? `${head} ${rest}` : head });
  switch (event.type) {
    case 'run-start':
      return line('info', `mode=${event.mode} model=${event.model} tools=${event.tools.join(',')} question=${JSON.stringify(clip(event.question, TEXT_CHARS))}`);
    case 'context':
      return line(
        event.note ? 'warn' : 'info',
        `tokens=${event.tokens}${event.assumed ? ' (assumed)' : ''} source=${JSON.stringify(clip(event.source, TEXT_CHARS))}${event.note ? ` ${event.note}` : ''}`,
      );
    case 'llm-start':
      return line('debug', `call=${event.call} ${event.purpose} round=${event.round}`);
    case 'llm-end':
      return line(
        'debug',
        `call=${event.call} ${event.purpose} round=${event.round} in=${event.inputTokens} out=${event.outputTokens}${event.estimated ? ' (estimated)' : ''} ${Math.round(event.end - event.start)}ms${event.fit ? ` fit=${event.fit.promptTokens}+${event.fit.maxOutputTokens}/${event.fit.contextTokens}` : ''}${event.cutResults ? ` cut=${event.cutResults.join(',')}` : ''}`,
      );
    case 'plan-start':
      return line('debug', `round=${event.round}`);
    case 'plan-end':
      return line('info', `round=${event.round} tasks=${event.tasks}`);
    case 'plan-error':
      return line('warn', `round=${event.round} line=${event.line} ${event.error.reason}: ${clip(event.error.message, TEXT_CHARS)} source=${JSON.stringify(clip(event.source, TEXT_CHARS))}`);
    case 'task-planned':
      return line('debug', `#${event.id} ${event.tool}(${clip(event.args, TEXT_CHARS)}) deps=[${event.deps.join(',')}]`);
    case 'task-started':
      return line('info', `#${event.id} ${event.tool} ${clip(JSON.stringify(event.resolvedArgs), TEXT_CHARS)}${event.origin ? ` via ${formatOrigin(event.origin)}` : ''}`);
    case 'task-finished':
      return line(
        event.status === 'error' ? 'warn' : 'info',
        `#${event.id} ${event.tool} ${event.status} ${Math.round(event.ms)}ms chars=${event.text.length}${event.locations ? ` locations=${event.locations.length}` : ''}${event.cachedFrom !== undefined ? ` from=${event.cachedFromRun !== undefined ? `${event.cachedFromRun}` : ''}#${event.cachedFrom}` : ''}${event.error ? ` ${event.error.reason}: ${clip(event.error.message, TEXT_CHARS)}` : ''}`,
      );
    case 'join-start':
      return line('debug', `round=${event.round}`);
    case 'thought':
      return line('debug', `round=${event.round} ${JSON.stringify(clip(event.text, TEXT_CHARS))}`);
    case 'answer-delta':
      return line('trace', `chars=${event.text.length}`);
    case 'replan':
      return line('info', `round=${event.round} ${JSON.stringify(clip(event.reason, TEXT_CHARS))}`);
    case 'run-end':
      return line(
        event.outcome === 'failed' ? 'error' : 'info',
        `${event.outcome} wall=${Math.round(event.wallMs)}ms llmCalls=${event.llmCalls} tokens=${event.inputTokens}/${event.outputTokens}${event.tokensEstimated ? '~' : ''} tasks=${event.tasks.total} maxParallel=${event.maxParallel} sequentialToolMs=${Math.round(event.sequentialToolMs)}${event.error ? ` ${event.error.reason}: ${clip(event.error.message, TEXT_CHARS)}` : ''}`,
      );
  }
}
