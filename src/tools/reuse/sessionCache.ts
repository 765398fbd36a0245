import { ResultCache } from '../../core/resultCache';
import { nodeReadTracker } from './readTracker';

/** The tool results of one session (a VS Code window, an MCP server, a CLI process), for `runQuestion`'s `resultCache`. */
export function createResultCache(options: { maxBytes?: number } = {}): ResultCache {
  return new ResultCache({ tracker: nodeReadTracker, ...options });
}
