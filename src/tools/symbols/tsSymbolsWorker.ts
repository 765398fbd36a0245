// Worker entry: the TypeScript language service is synchronous and slow to build, so it runs here, off the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { CompilerError } from '../../base/errors';
import type { SymbolRequest, SymbolResponse } from './symbolProtocol';
import { runSymbolQuery } from './symbolQueries';
import { TsService } from './tsService';

const port = parentPort;
if (!port) throw new Error('tsSymbolsWorker runs as a worker thread only.');
const data = workerData as { roots: string[]; protectedGlobs: string[] };
const project = new TsService(data.roots, data.protectedGlobs);

// The main thread sends one request at a time and waits for its answer, so requests never overlap.
port.on('message', (request: SymbolRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer({ id, files, query }: SymbolRequest): Promise<SymbolResponse> {
  try {
    if (files) project.setFiles(files);
    // Files and project ignore files may have changed since the last query.
    project.beginQuery();
    const { ts, service } = await project.languageService();
    const result = runSymbolQuery(ts, service, query);
    return { id, result, read: project.furtherFiles() };
  } catch (error) {
    if (error instanceof CompilerError) return { id, error: { reason: error.reason, message: error.message } };
    return { id, error: { message: error instanceof Error ? error.message : String(error) } };
  }
}
