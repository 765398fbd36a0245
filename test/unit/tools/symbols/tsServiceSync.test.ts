import assert from 'node:assert/strict';
import * as fs from 'node:fs';
// The module object itself, whose functions the source's namespace import reads at each call.
import fsModule from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSymbolQuery } from '../../../../src/tools/symbols/symbolQueries';
import { loadTypeScript } from '../../../../src/tools/symbols/tsService';
import { TsProjectSet } from '../../../../src/tools/symbols/tsProjectSet';

describe('TypeScript service host', () => {
  let root: string;
  const FILES = 40;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-ts-sync-')));
    fs.writeFileSync(path.join(root, 'shape.ts'), 'export class Shape {}\n');
    // Every file uses Shape three times: 120 references in all.
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(path.join(root, `use${i}.ts`), `import { Shape } from './shape';\nexport const a${i}: Shape = new Shape();\nexport function f${i}(s: Shape) { return s; }\n`);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('looks at each file\'s version once per query, however many references it finds', async () => {
    const ts = await loadTypeScript();
    const service = new TsProjectSet(ts, [root], []);
    service.setFiles(fs.readdirSync(root).map((f) => path.join(root, f)).sort());
    const query = () =>
      runSymbolQuery(ts, service, { op: 'references', target: { kind: 'name', name: 'Shape' }, maxReferences: 1_000, maxDeclarations: 5 }) as { hits: unknown[] };
    service.beginQuery();
    query();
    // Count the stats of the next query: once per file to learn its version, not once per file per reference.
    const stat = fsModule.statSync;
    let stats = 0;
    (fsModule as { statSync: typeof fs.statSync }).statSync = ((...args: Parameters<typeof fs.statSync>) => {
      stats++;
      return stat(...args);
    }) as typeof fs.statSync;
    try {
      service.beginQuery();
      const { hits } = query();
      assert.ok(hits.length >= 3 * FILES, `${hits.length} references`);
      assert.ok(stats <= 3 * (FILES + 1), `${stats} stats for ${FILES + 1} files`);
    } finally {
      (fsModule as { statSync: typeof fs.statSync }).statSync = stat;
    }
  });

  it('looks up no file of the standard library on a query: only the workspace\'s files can change', async () => {
    const ts = await loadTypeScript();
    const service = new TsProjectSet(ts, [root], []);
    service.setFiles(fs.readdirSync(root).map((f) => path.join(root, f)).sort());
    const query = () => runSymbolQuery(ts, service, { op: 'references', target: { kind: 'name', name: 'Shape' }, maxReferences: 1_000, maxDeclarations: 5 });
    service.beginQuery();
    query();
    const libDir = path.dirname(ts.getDefaultLibFilePath({}));
    const realpath = fsModule.realpathSync.native;
    const looked: string[] = [];
    fsModule.realpathSync.native = ((file: fs.PathLike, ...rest: unknown[]) => {
      looked.push(String(file));
      return (realpath as (...args: unknown[]) => string)(file, ...rest);
    }) as typeof realpath;
    try {
      service.beginQuery();
      query();
    } finally {
      fsModule.realpathSync.native = realpath;
    }
    assert.ok(looked.length > 0, 'the workspace\'s files are looked up');
    assert.deepEqual(looked.filter((f) => path.dirname(f) === libDir), []);
  });

  it('sees an edit made between two queries', async () => {
    const ts = await loadTypeScript();
    const service = new TsProjectSet(ts, [root], []);
    service.setFiles([path.join(root, 'shape.ts'), path.join(root, 'use0.ts')]);
    const names = () => {
      service.beginQuery();
      return (runSymbolQuery(ts, service, { op: 'symbols', query: 'Circle', max: 10 }) as { hits: Array<{ name: string }> }).hits.map((h) => h.name);
    };
    assert.deepEqual(names(), []);
    const file = path.join(root, 'shape.ts');
    fs.writeFileSync(file, 'export class Shape {}\nexport class Circle extends Shape {}\n');
    // A new modification time, even on a file system with coarse times.
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(file, later, later);
    assert.deepEqual(names(), ['Circle']);
  });

  it('parses the standard library once for projects with `paths` of their own, as for those without', async () => {
    const ts = await loadTypeScript();
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-ts-lib-')));
    try {
      // Each package resolves its own alias; TypeScript keys a parse by the folder of `paths` too.
      const files: string[] = [];
      for (const name of ['a', 'b', 'c']) {
        const options = { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, ...(name === 'c' ? {} : { paths: { [`@${name}/*`]: ['./src/*'] } }) };
        fs.mkdirSync(path.join(dir, name, 'src'), { recursive: true });
        fs.writeFileSync(path.join(dir, name, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src'] }));
        fs.writeFileSync(path.join(dir, name, 'src', 'main.ts'), `export const ${name}Value = document.title;\n`);
        files.push(path.join(dir, name, 'tsconfig.json'), path.join(dir, name, 'src', 'main.ts'));
      }
      const projects = new TsProjectSet(ts, [dir], []);
      projects.setFiles(files);
      projects.beginQuery();
      const libraries = ['a', 'b', 'c'].map((name) => {
        const program = projects.serviceFor(path.join(dir, name, 'src', 'main.ts')).service.getProgram()!;
        return program.getSourceFiles().filter((sf) => program.isSourceFileDefaultLibrary(sf));
      });
      assert.ok(libraries[0]!.some((sf) => sf.fileName.endsWith('lib.dom.d.ts')), 'the DOM library is in each program');
      for (const library of libraries.slice(1)) {
        assert.equal(library.length, libraries[0]!.length);
        for (const [i, sf] of library.entries()) assert.ok(sf === libraries[0]![i], `${path.basename(sf.fileName)} parsed again`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
