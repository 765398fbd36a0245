// Worker entry: the TypeScript language service is synchronous and slow to build, so it runs here, off the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { CompilerError } from '../../base/errors';
import type { SymbolRequest, SymbolResponse } from './symbolProtocol';
import { runSymbolQuery } from './symbolQueries';
import { loadTypeScript } from './tsService';
import { TsProjectSet } from './tsProjectSet';
import type { ProjectLimits } from './tsProjectSet';

const port = parentPort;
if (!port) throw new Error('tsSymbolsWorker runs as a worker thread only.');
const data = workerData as { roots: string[]; protectedGlobs: string[]; limits: ProjectLimits };
let projects: TsProjectSet | undefined;
// Services unused for the idle time are dropped between queries too, not only when the next query comes.
setInterval(() => projects?.evictIdle(), Math.max(1_000, Math.min(60_000, data.limits.idleMs / 2))).unref();

// The main thread sends one request at a time and waits for its answer, so requests never overlap.
port.on('message', (request: SymbolRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer({ id, files, query }: SymbolRequest): Promise<SymbolResponse> {
  try {
    const ts = await loadTypeScript();
    projects ??= new TsProjectSet(ts, data.roots, data.protectedGlobs, data.limits);
    if (files) projects.setFiles(files);
    // Files, configs and project ignore files may have changed since the last query.
    projects.beginQuery();
    const result = runSymbolQuery(ts, projects, query);
    return { id, result, read: projects.reads() };
  } catch (error) {
    if (error instanceof CompilerError) return { id, error: { reason: error.reason, message: error.message } };
    return { id, error: { message: error instanceof Error ? error.message : String(error) } };
  }
}
