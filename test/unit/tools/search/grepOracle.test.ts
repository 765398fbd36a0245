import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { BACKENDS, requireRipgrep } from '../../../support/backends';
import { skipBecause } from '../../../support/skips';
import { RG_SELECTION, rawRgFiles, rawRgMatchArgs, rawRgMatches, rgJsonMatches } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

type Match = { path: string; line: number; column: number };
const keys = (value: unknown): string[] => (value as Match[]).map((m) => `${m.path}:${m.line}`).sort();

/**
 * Patterns where a JavaScript engine, or RE2, reads differently from ripgrep 13: each must give rg's lines on the
 * fallback, or be refused there as rg refuses it.
 */
const PATTERNS = [
  '\\bcafé\\b',
  '\\w+é',
  '\\d+',
  '[a-z&&[^aeiou]]{4}',
  '(?x) ca  fé # a comment',
  '\\u0041',
  '\\p{Letter}{6}',
  '\\pL\\pN',
  '[[:alpha:]]+_',
  '\\Qa.b\\E',
  '(?<name>café)',
  '(?P<name>café)',
  '(?<=ca)fé',
  '(?=x)',
  '(c)\\1',
  'a\\nb',
  '[\\n]',
  '\\<café',
  '\\b{start}café',
  'a{,3}',
  '\\/',
  '\\%',
  '(?i)CAFÉ',
  '^\\s*$',
  'fé$',
  '(?-u:\\w)+',
];

describe('grep on the JavaScript fallback equals ripgrep 13, pattern by pattern', function () {
  this.timeout(60_000);
  let root: string;
  const js = createNodeTools({ useRipgrep: false, symbolTools: false });
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-rg13-')));
    fs.writeFileSync(path.join(root, 'ky.ts'), 'const café = 1;\nlet cafés = 2;\nΑθήνα 42 ٣ Ωmega\n\nA1 B2 word_\ncc a.b\r\n  \naaa nb\n');
    fs.writeFileSync(path.join(root, 'other.md'), 'Café au lait\nCAFÉ\nstrength 100%\na/b\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const pattern of PATTERNS) {
    for (const caseSensitive of [true, false]) {
      it(`${pattern} (${caseSensitive ? 'case-sensitive' : 'ignoring case'})`, async function () {
        const rg = requireRipgrep(this);
        const raw = spawnSync(rg, rawRgMatchArgs(pattern, { ignoreCase: !caseSensitive }), { cwd: root, encoding: 'utf8' });
        const call = runTool(js, 'grep', { pattern, regex: true, case_sensitive: caseSensitive, max_results: 500 }, toolContext([root]));
        if (raw.status === 2) {
          const error = await rejectionOf(call);
          assert.ok(error instanceof CompilerError && error.reason === 'invalid-args', String(error));
          // rg's own words, whole, then the hint.
          assert.ok(error.message.includes(raw.stderr.trim()), `rg says:\n${raw.stderr}\nthe fallback says:\n${error.message}`);
          assert.match(error.message, /installing ripgrep/);
          return;
        }
        const out = await call;
        assert.deepEqual(keys(out.value), rgJsonMatches(raw.stdout));
        // Columns as rg counts them (bytes there, UTF-16 units here): one run of rg over the files matched.
        const matched = [...new Set((out.value as Match[]).map((m) => m.path))];
        const rgColumns = new Map<string, number>();
        if (matched.length > 0) {
          const columns = execFileSync(rg, ['--no-config', '--column', '--with-filename', '--line-number', caseSensitive ? '-s' : '-i', '-e', pattern, '--', ...matched], { cwd: root, encoding: 'utf8' });
          for (const l of columns.split('\n')) {
            const [file, line, column] = l.split(':');
            if (column !== undefined) rgColumns.set(`${file}:${line}`, Number(column));
          }
        }
        for (const m of out.value as Match[]) {
          const line = fs.readFileSync(path.join(root, m.path), 'utf8').split('\n')[m.line - 1]!;
          assert.equal(Buffer.byteLength(line.slice(0, m.column - 1)) + 1, rgColumns.get(`${m.path}:${m.line}`), `${m.path}:${m.line}`);
        }
      });
    }
  }
});

describe('grep says nothing of protected files, whatever the pattern', () => {
  for (const backend of BACKENDS) {
    it(`(${backend.name}) answers alike for a pattern that matches only a protected file and one that matches nothing`, async function () {
      if (backend.missing) skipBecause(this, backend.missing);
      const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-note-')));
      try {
        fs.writeFileSync(path.join(tree, '.env'), 'API_TOKEN=hunter2\n');
        fs.writeFileSync(path.join(tree, '.cursorignore'), 'private.txt\n');
        fs.writeFileSync(path.join(tree, 'private.txt'), 'the launch code is 0000\n');
        fs.writeFileSync(path.join(tree, 'a.ts'), 'export const a = 1;\n');
        const tools = backend.tools({ symbolTools: false });
        const answer = async (pattern: string): Promise<string> =>
          (await runTool(tools, 'grep', { pattern, regex: true }, toolContext([tree]))).text.split(pattern).join('PATTERN');
        const nothing = await answer('zzz_nowhere');
        for (const probe of ['hunter2', 'API_TOKEN=h', 'launch code is 0', '^the']) assert.equal(await answer(probe), nothing, probe);
      } finally {
        fs.rmSync(tree, { recursive: true, force: true });
      }
    });
  }
});

describe('negated globs mean what rg -g "!GLOB" means', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-negated-glob-')));
    const files = ['index.js', 'src/a.js', 'src/b.ts', 'src/deep/c.js', 'src/deep/d.ts', 'lib/e.js', 'lib/f.md', 'test/g.test.js', 'README.md', 'node_modules/x/index.js'];
    for (const rel of files) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), `needle in ${rel}\n`);
    }
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const GLOBS = ['!**/*.js', '!src/**', '!*.md', '!src', '!src/deep/**', '!**/deep/*.ts', '!{lib,test}/**'];
  for (const backend of BACKENDS) {
    for (const glob of GLOBS) {
      it(`(${backend.name}) find_files and grep with ${glob}`, async function () {
        const rg = requireRipgrep(this);
        if (backend.missing) skipBecause(this, backend.missing);
        const tools = backend.tools({ symbolTools: false });
        const files = await runTool(tools, 'find_files', { glob }, toolContext([root]));
        assert.deepEqual([...(files.value as string[])].sort(), rawRgFiles(rg, root, [glob]));
        assert.ok((files.value as string[]).length > 0);
        const grep = await runTool(tools, 'grep', { pattern: 'needle', glob, max_results: 500 }, toolContext([root]));
        assert.deepEqual(keys(grep.value), rawRgMatches(rg, root, 'needle', { fixed: true, globs: [glob] }));
      });
    }
  }

  it('says so in the tool descriptions', () => {
    const tools = createNodeTools({ symbolTools: false });
    for (const name of ['find_files', 'grep']) assert.match(tools.find((t) => t.name === name)!.description, /"!/, name);
  });
});

describe('grep through ripgrep: one process per call, no --column', function () {
  this.timeout(60_000);
  it('runs rg once for a capped search across many files, and reads the column from the line', async function () {
    const rg = requireRipgrep(this);
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-spawns-')));
    try {
      const log = path.join(dir, 'calls.log');
      const wrapper = path.join(dir, 'rg-wrapper.sh');
      fs.writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${rg}' "$@"\n`, { mode: 0o755 });
      const tree = path.join(dir, 'tree');
      for (let i = 0; i < 300; i++) {
        fs.mkdirSync(path.join(tree, `d${i % 7}`), { recursive: true });
        fs.writeFileSync(path.join(tree, `d${i % 7}`, `f${i}.ts`), `// café\nconst x${i} = "ÿ needle";\nneedle();\n`);
      }
      // One long line with many matches: rg's --column finds every one of them.
      fs.writeFileSync(path.join(tree, 'long.txt'), `${'é needle '.repeat(300_000)}\n`);
      const tools = createNodeTools({ ripgrepPath: wrapper, symbolTools: false });
      const out = await runTool(tools, 'grep', { pattern: 'needle', case_sensitive: true, max_results: 50 }, toolContext([tree]));
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(calls.length, 1, calls.join('\n'));
      assert.doesNotMatch(calls[0]!, /--column/);
      assert.deepEqual(keys(out.value), rawRgMatches(rg, tree, 'needle', { fixed: true }).sort((a, b) => (a < b ? -1 : 1)).slice(0, 50).sort());
      for (const m of out.value as Match[]) {
        const line = m.path === 'long.txt' ? 'é needle ' : fs.readFileSync(path.join(tree, m.path), 'utf8').split('\n')[m.line - 1]!;
        assert.equal(line.slice(m.column - 1, m.column - 1 + 6), 'needle', `${m.path}:${m.line}:${m.column}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grep through ripgrep on a very common word', function () {
  this.timeout(60_000);
  it('stops the parallel search and reads the files in path order up to the cap: the first lines as rg --sort path gives them', async function () {
    const rg = requireRipgrep(this);
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-common-')));
    try {
      const log = path.join(dir, 'calls.log');
      const wrapper = path.join(dir, 'rg-wrapper.sh');
      fs.writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${rg}' "$@"\n`, { mode: 0o755 });
      const tree = path.join(dir, 'tree');
      // 24,000 matching lines (over 16,384 even at 51 a file), in names whose order differs between a plain string sort and rg's walk (a/ before a-).
      for (let i = 0; i < 400; i++) {
        const rel = i % 2 ? `a-${i}/f.txt` : `a/${i}.txt`;
        fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
        fs.writeFileSync(path.join(tree, rel), 'word\n'.repeat(60));
      }
      const tools = createNodeTools({ ripgrepPath: wrapper, symbolTools: false });
      const out = await runTool(tools, 'grep', { pattern: 'word', case_sensitive: true, max_results: 50 }, toolContext([tree]));
      const order = (out.value as Match[]).map((m) => `${m.path}:${m.line}`);
      const sorted = execFileSync(rg, ['--json', '--sort', 'path', ...RG_SELECTION, '--case-sensitive', '--fixed-strings', '--regexp', 'word', '.'], { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
        .split('\n')
        .filter((l) => l.startsWith('{"type":"match"'))
        .map((l) => JSON.parse(l) as { data: { path: { text: string }; line_number: number } })
        .map((m) => `${m.data.path.text.replace(/^\.\//, '')}:${m.data.line_number}`);
      assert.deepEqual(order, sorted.slice(0, 50));
      assert.equal(out.truncated, true);
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(calls.length, 2, calls.join('\n'));
      assert.match(calls[1]!, /^--sort path /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grep on the JavaScript fallback says what it did not search', function () {
  this.timeout(120_000);
  it('names a file over 64 MB instead of answering "No matches"', async () => {
    const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-too-large-')));
    try {
      fs.writeFileSync(path.join(tree, 'huge.log'), Buffer.alloc(65 * 1024 * 1024, 'plain log line\n'));
      fs.writeFileSync(path.join(tree, 'small.txt'), 'nothing here\n');
      const js = createNodeTools({ useRipgrep: false, symbolTools: false });
      const out = await runTool(js, 'grep', { pattern: 'needle' }, toolContext([tree]));
      assert.match(out.text, /huge\.log/);
      assert.match(out.text, /64 MB/);
      assert.match(out.text, /JavaScript fallback/);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});

