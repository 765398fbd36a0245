import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PackageManager, listFiles } from '@vscode/vsce';
import { buildCli } from '../../support/builtCli';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** The local files a markdown document links to or shows: links and images outside code, without their #anchor. */
function localTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^(?:[a-z][a-z+.-]*:|#)/i.test(t)).map((t) => path.posix.normalize(decodeURI(t.replace(/#.*$/, ''))));
}

/** A .vscodeignore-style pattern as a regular expression: `*` within a path segment, `**` across segments. */
function globRegExp(pattern: string): RegExp {
  const segment = (part: string) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${pattern.split('**').map(segment).join('.*')}$`);
}

/** The files of the README's table of what the .vsix holds; a row may name several with a `*`. */
function readmePackageTable(): string[] {
  const lines = read('README.md').split('\n');
  const start = lines.findIndex((l) => /^\| file in the \.vsix \|/.test(l));
  assert.ok(start >= 0, 'README has a "file in the .vsix" table');
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(/^\| `([^`]+)` \|/.exec(line)?.[1] ?? line);
  }
  return rows;
}

describe('the .vsix holds what the extension and its details page use (vsce list, as `npm run package` packs)', function () {
  this.timeout(120_000);
  let packed: string[];
  let buildStart: number;

  before(async () => {
    // The build of this test run, which another suite may have started.
    buildStart = await buildCli();
    // vsce's own file selection: .vscodeignore read as `vsce package --no-dependencies` reads it.
    packed = await listFiles({ cwd: ROOT, packageManager: PackageManager.None });
  });

  it('holds every local file README.md and CHANGELOG.md link to or show, and the icon', () => {
    const manifest = JSON.parse(read('package.json')) as { icon?: string };
    assert.ok(manifest.icon, 'package.json names an icon');
    const wanted = [...localTargets(read('README.md')), ...localTargets(read('CHANGELOG.md')), manifest.icon];
    assert.ok(wanted.some((t) => t.endsWith('.png')), 'the README shows images');
    assert.deepEqual(wanted.filter((t) => !packed.includes(t)), []);
  });

  it('holds every bundle the build writes but the benchmark, and no source maps, sources or tests', () => {
    const written = readdirSync(path.join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.js') && f !== 'bench.js' && statSync(path.join(ROOT, 'dist', f)).mtimeMs >= buildStart - 1000)
      .map((f) => `dist/${f}`);
    assert.ok(written.includes('dist/cli.js') && written.includes('dist/extension.js'), `the build wrote ${written.join(', ')}`);
    assert.deepEqual(written.filter((f) => !packed.includes(f)), []);
    assert.deepEqual(packed.filter((f) => /\.map$|^src\/|^test\/|^dist\/bench\.js$|^node_modules\//.test(f)), []);
  });

  it('names no file in .vscodeignore that the build and the repository do not have', () => {
    const kept = read('.vscodeignore').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const unmatched = kept.filter((pattern) => {
      const re = globRegExp(pattern);
      return !packed.some((f) => re.test(f));
    });
    assert.deepEqual(unmatched, []);
  });

  it("lists in the README's table exactly the files packed", () => {
    const rows = readmePackageTable();
    const matches = (row: string, file: string) => globRegExp(row).test(file);
    assert.deepEqual(rows.filter((row) => !packed.some((f) => matches(row, f))), [], 'rows that name no packed file');
    assert.deepEqual(packed.filter((f) => rows.filter((row) => matches(row, f)).length !== 1), [], 'packed files not named by exactly one row');
  });

  it("holds TypeScript's standard library beside the symbol worker, where its language service looks for it", () => {
    const library = readdirSync(path.dirname(require.resolve('typescript/lib/lib.d.ts'))).filter((f) => /^lib\..*d\.ts$/.test(f));
    assert.ok(library.includes('lib.es5.d.ts') && library.includes('lib.dom.d.ts'));
    assert.deepEqual(library.map((f) => `dist/typescript-lib/${f}`).filter((f) => !packed.includes(f)), []);
  });
});
