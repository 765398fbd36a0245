import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SymbolProjects } from '../../../src/tools/symbols/tsProjects';
import { WORKER_BUNDLES_ENV, workerScript } from '../../../src/tools/workerScript';

/** Runs `fn` with the built worker entries named, or not (`undefined`), and puts the run's setting back. */
async function withBundles<T>(dir: string | undefined, fn: () => Promise<T> | T): Promise<T> {
  const saved = process.env[WORKER_BUNDLES_ENV];
  if (dir === undefined) delete process.env[WORKER_BUNDLES_ENV];
  else process.env[WORKER_BUNDLES_ENV] = dir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[WORKER_BUNDLES_ENV];
    else process.env[WORKER_BUNDLES_ENV] = saved;
  }
}

describe('worker entries run from source', function () {
  this.timeout(60_000);

  it('start from the built entries when a folder of them is named, with no Node options; else from the .ts through tsx', async () => {
    const built = await withBundles('/built', () => workerScript('tsSymbolsWorker', '/src/tools/symbols'));
    assert.deepEqual(built, { file: path.join('/built', 'tsSymbolsWorker.js'), execArgv: [] });
    const source = await withBundles(undefined, () => workerScript('tsSymbolsWorker', '/src/tools/symbols'));
    assert.deepEqual(source, { file: path.join('/src/tools/symbols', 'tsSymbolsWorker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] });
  });

  it('the test run builds every worker entry the tools start', () => {
    const dir = process.env[WORKER_BUNDLES_ENV];
    assert.ok(dir, 'the run names its built worker entries');
    const started = new Set<string>();
    for (const file of fs.readdirSync(path.resolve(__dirname, '../../../src'), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.resolve(__dirname, '../../../src', file), 'utf8');
      for (const m of text.matchAll(/workerScript\('(\w+)'/g)) started.add(m[1]);
    }
    assert.deepEqual([...started].sort(), ['jsSearchWorker', 'tsSymbolsWorker']);
    for (const name of started) assert.ok(fs.existsSync(path.join(dir, `${name}.js`)), `${name}.js is built`);
  });

  it('a symbol worker started through tsx answers as the built one does', async () => {
    const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-worker-entry-')));
    fs.writeFileSync(path.join(tree, 'a.ts'), 'export function hello(n: number) {\n  return n + 1;\n}\nexport const two = hello(1);\n');
    const ask = async () => {
      const projects = new SymbolProjects({ ripgrep: undefined, excludeGlobs: [] });
      try {
        return await projects.get([tree]).query({ op: 'symbols', query: 'hello', max: 10 }, new AbortController().signal);
      } finally {
        projects.close();
      }
    };
    try {
      const fromSource = await withBundles(undefined, ask);
      const fromBuilt = await ask();
      assert.deepEqual(fromSource, fromBuilt);
      assert.ok(JSON.stringify(fromBuilt).includes('a.ts'), JSON.stringify(fromBuilt));
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});
