// `npm pack` as a user of the command-line tool gets it: the tarball installed with --omit=dev and --offline (it
// must need nothing from the registry) in empty folders, then its `llm-compiler` command run from there.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { END_OF_PLAN } from '../../src/core/plan/stopMarkers';
import { startOpenAITestServer } from '../support/modelServer/openaiTestServer';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The environment without the model variables, so the command sees only what a test gives it. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('OPENAI_')) env[name] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

const npmInstall = (args: string[], cwd: string) => run('npm', ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', ...args], { cwd, env: cleanEnv() });

describe('npm pack: the tarball installed with --omit=dev in an empty folder', function () {
  this.timeout(300_000);
  let work: string;
  let tarball: string;
  let localBin: string;
  let globalPrefix: string;
  let repo: string;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'llm-compiler-npm-'));
    // `prepack` builds the production bundles first, as on a fresh clone.
    await run('npm', ['pack', '--pack-destination', work], { cwd: ROOT, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
    tarball = path.join(work, `llm-compiler-${version}.tgz`);
    const local = path.join(work, 'local');
    await mkdir(local);
    await npmInstall([tarball], local);
    localBin = path.join(local, 'node_modules', '.bin', 'llm-compiler');
    globalPrefix = path.join(work, 'global');
    await npmInstall(['--global', '--prefix', globalPrefix, tarball], work);
    repo = path.join(work, 'repo');
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds the bundles but the benchmark, README, LICENSE and CHANGELOG, without source maps', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
    // TypeScript's standard library, which the symbol worker's language service reads from beside it.
    const library = readdirSync(path.dirname(require.resolve('typescript/lib/lib.d.ts')))
      .filter((f) => /^lib\..*d\.ts$/.test(f))
      .map((f) => `dist/typescript-lib/${f}`);
    assert.ok(library.includes('dist/typescript-lib/lib.es5.d.ts'));
    const expected = [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/extension.js',
      'dist/jsSearchWorker.js',
      'dist/rregex.wasm',
      'dist/tokenizer.js',
      'dist/tsSymbolsWorker.js',
      ...library,
      'dist/webview.js',
      'package.json',
    ];
    assert.deepEqual(files, expected.sort());
  });

  it('installs nothing beside itself: the bundles hold their dependencies', async () => {
    const installed = path.join(work, 'local', 'node_modules');
    const manifest = JSON.parse(await readFile(path.join(installed, 'llm-compiler', 'package.json'), 'utf8')) as { dependencies?: object };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    const { stdout } = await run('npm', ['ls', '--all', '--parseable', '--omit=dev'], { cwd: path.join(work, 'local'), env: cleanEnv() });
    assert.deepEqual(stdout.split('\n').filter(Boolean).map((p) => path.relative(installed, p)).slice(1), ['llm-compiler']);
  });

  it('serves llm-compiler --version, installed locally and globally', async () => {
    for (const bin of [localBin, path.join(globalPrefix, 'bin', 'llm-compiler')]) {
      assert.ok((await stat(bin)).isFile(), bin);
      const { stdout } = await run(bin, ['--version'], { env: cleanEnv() });
      assert.equal(stdout, `${version}\n`);
    }
  });

  it('serves llm-compiler mcp: the workspace tools and ask over stdio', async () => {
    const client = new Client({ name: 'npm-package-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: localBin, args: ['mcp', '--cwd', repo], env: cleanEnv(), stderr: 'ignore' }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      for (const name of ['ask', 'grep', 'read_file', 'find_files', 'git_log', 'definition']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      // The symbol tools' worker bundle loads from beside the installed CLI.
      const found = await client.callTool({ name: 'definition', arguments: { name_or_location: 'add' } });
      assert.match((found.content as Array<{ text: string }>).map((c) => c.text).join(''), /src\/math\.ts:1/);
    } finally {
      await client.close();
    }
  });

  it('greps without ripgrep: the JavaScript fallback and its regex engine load from beside the installed CLI', async () => {
    // A PATH with node alone: no rg, so grep runs its fallback worker, which loads dist/rregex.wasm.
    const bin = path.join(work, 'node-only');
    await mkdir(bin, { recursive: true });
    await symlink(process.execPath, path.join(bin, 'node')).catch(() => undefined);
    const client = new Client({ name: 'npm-package-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(path.dirname(localBin), '..', 'llm-compiler', 'dist', 'cli.js'), 'mcp', '--cwd', repo], env: cleanEnv({ PATH: bin }), stderr: 'ignore' }));
    try {
      const found = await client.callTool({ name: 'grep', arguments: { pattern: '\\bfunction\\s+add\\b', regex: true } });
      const text = (found.content as Array<{ text: string }>).map((c) => c.text).join('');
      assert.match(text, /src\/math\.ts/);
      assert.match(text, /searched by the JavaScript fallback/);
    } finally {
      await client.close();
    }
  });

  it('answers llm-compiler ask with a model server', async () => {
    const server = await startOpenAITestServer({
      script: (request) =>
        request.stop.includes(END_OF_PLAN)
          ? `1. grep("function add", glob="src/**")\njoin()\n${END_OF_PLAN}`
          : 'Action: Finish(`add` is at src/math.ts:1.)',
    });
    try {
      const { stdout } = await run(localBin, ['ask', 'Where is add?', '--cwd', repo, '--base-url', server.url, '--model', 'test-model'], { env: cleanEnv() });
      assert.match(stdout, /^`add` is at src\/math\.ts:1\.\n/);
    } finally {
      await server.close();
    }
  });
});
