import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { JsonObject } from '../../../../src/shared/json';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { runTool, toolContext } from '../../../support/toolHarness';
import { oracleLanguageService } from '../../../support/oracles';

// CommonJS as express writes it — `exports = module.exports = createApplication`, `exports.json = function json…`,
// `var res = Object.create(http.ServerResponse.prototype); module.exports = res; res.send = function send…` — through
// the symbol tools and through TypeScript's own language service over the same files: the tools find what it finds.

const FIXTURE: Record<string, string> = {
  'lib/response.js': [
    "'use strict';",
    "var http = require('http');",
    'var res = Object.create(http.ServerResponse.prototype);',
    'module.exports = res;',
    '',
    'res.status = function status(code) {',
    '  this.statusCode = code;',
    '  return this;',
    '};',
    '',
    'res.send = function send(body) {',
    '  var chunk = body;',
    "  if (typeof chunk === 'object') return this.json(chunk);",
    '  this.end(chunk);',
    '  return this;',
    '};',
    '',
    'res.json = function json(obj) {',
    '  var body = JSON.stringify(obj);',
    '  return this.send(body);',
    '};',
    '',
    'res.set =',
    'res.header = function header(field, val) {',
    '  this.setHeader(field, val);',
    '  return this;',
    '};',
    '',
  ].join('\n'),
  'lib/application.js': [
    "'use strict';",
    'var app = exports = module.exports = {};',
    '',
    'app.init = function init() {',
    '  this.settings = {};',
    '  this.use(function () {});',
    '};',
    '',
    'app.use = function use(fn) {',
    '  this.stack = (this.stack || []).concat(fn);',
    '  return this;',
    '};',
    '',
    'app.listen = function listen(port) {',
    '  return this.use(port);',
    '};',
    '',
  ].join('\n'),
  'lib/express.js': [
    "'use strict';",
    "var proto = require('./application');",
    "var res = require('./response');",
    '',
    'exports = module.exports = createApplication;',
    '',
    'function createApplication() {',
    '  var app = function (req, response, next) {',
    '    app.handle(req, response, next);',
    '  };',
    '  Object.assign(app, proto);',
    '  app.response = Object.create(res);',
    '  app.init();',
    '  return app;',
    '}',
    '',
    'exports.application = proto;',
    'exports.response = res;',
    'exports.json = function json(options) {',
    '  return options;',
    '};',
    '',
  ].join('\n'),
  'lib/shapes.ts': [
    'export function area(side: number): number;',
    'export function area(width: number, height: number): number;',
    'export function area(a: number, b = a): number {',
    '  const product = a * b;',
    '  return product;',
    '}',
    'export class Canvas {',
    '  draw(x: number): void;',
    '  draw(x: string): void;',
    '  draw(x: unknown): void {',
    '    const seen = x;',
    '    void seen;',
    '  }',
    '}',
    '',
  ].join('\n'),
  'lib/router.js': ['function Router() {}', 'Router.prototype.route = function route(p) {', '  return p;', '};', 'module.exports = Router;', ''].join('\n'),
  'app.js': [
    "var express = require('./lib/express');",
    "var application = require('./lib/application');",
    "var response = require('./lib/response');",
    'var app = express();',
    'application.use(function (req, res) {});',
    "response.send('hello');",
    'express.json({});',
    'app.listen(3000);',
    '',
  ].join('\n'),
};

/** TypeScript's language service over the JavaScript files of `root`, as an editor sets it up for them. */
class Oracle {
  readonly service: ts.LanguageService;
  readonly program: ts.Program;

  constructor(readonly root: string, readonly files: string[]) {
    const options: ts.CompilerOptions = { allowJs: true, checkJs: true, noEmit: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.CommonJS };
    this.service = oracleLanguageService(root, files, options);
    this.program = this.service.getProgram()!;
  }

  /** `path:line:column` of a position in a workspace file; undefined for the standard library. */
  where(fileName: string, pos: number): string | undefined {
    if (!fileName.startsWith(this.root + path.sep)) return undefined;
    const lc = this.program.getSourceFile(fileName)!.getLineAndCharacterOfPosition(pos);
    return `${path.relative(this.root, fileName)}:${lc.line + 1}:${lc.character + 1}`;
  }

  references(fileName: string, pos: number): string[] {
    const found = (this.service.findReferences(fileName, pos) ?? []).flatMap((s) => s.references).map((r) => this.where(r.fileName, r.textSpan.start));
    return unique(found);
  }

  definitions(fileName: string, pos: number): string[] {
    return unique((this.service.getDefinitionAtPosition(fileName, pos) ?? []).map((d) => this.where(d.fileName, d.textSpan.start)));
  }

  /**
   * The declaration of `object.name` as navigate-to lists it (the assignment), with those inside it (the function
   * assigned): each with the position of the name.
   */
  assigned(object: string, name: string, file: string): Array<{ item: ts.NavigateToItem; pos: number }> {
    const text = this.program.getSourceFile(file)!.text;
    const items = this.declarations(name).filter((d) => d.item.fileName === file);
    const property = items.find((d) => text.startsWith(`${object}.${name}`, d.item.textSpan.start));
    if (!property) return [];
    const { start, length } = property.item.textSpan;
    return items.filter((d) => d.item.textSpan.start >= start && d.item.textSpan.start + d.item.textSpan.length <= start + length);
  }

  /** Navigate-to items named exactly `name` in workspace files, with the position of the name in each. */
  declarations(name: string): Array<{ item: ts.NavigateToItem; pos: number }> {
    return this.service
      .getNavigateToItems(name, 500)
      .filter((item) => item.name === name && this.where(item.fileName, 0) !== undefined)
      .map((item) => {
        const text = this.program.getSourceFile(item.fileName)!.text;
        return { item, pos: text.indexOf(name, item.textSpan.start) };
      });
  }

  /** Every identifier of a file: its position and `path:line:column`. */
  identifiers(fileName: string): Array<{ pos: number; at: string }> {
    const sf = this.program.getSourceFile(fileName)!;
    const out: Array<{ pos: number; at: string }> = [];
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) out.push({ pos: node.getStart(sf), at: this.where(fileName, node.getStart(sf))! });
      node.forEachChild(visit);
    };
    sf.forEachChild(visit);
    return out;
  }
}

function unique(items: Array<string | undefined>): string[] {
  return [...new Set(items.filter((i): i is string => i !== undefined))].sort();
}

/**
 * The outline TypeScript's language service gives, as `depth kind name line`: its navigation tree with one entry per
 * span, as the editor's outline shows it (an item under each span of its parent it overlaps), imports left out; and
 * the declarations navigate-to finds in the file's top-level assignments (`res.set = res.header = function…`,
 * `exports.etag = …`) that the tree has no entry for on their line.
 */
function theirOutline(oracle: Oracle, abs: string): string[] {
  const sf = oracle.program.getSourceFile(abs)!;
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const entries: Array<{ depth: number; kind: string; name: string; line: number; start: number }> = [];
  const visit = (node: ts.NavigationTree, depth: number, within?: ts.TextSpan): void => {
    for (const child of node.childItems ?? []) {
      if (child.kind === 'alias') continue;
      if (within && !child.spans.some((s) => s.start <= within.start + within.length && within.start <= s.start + s.length)) continue;
      for (const span of child.spans) {
        entries.push({ depth, kind: child.kind, name: child.text, line: line(span.start), start: span.start });
        visit(child, depth + 1, span);
      }
    }
  };
  visit(oracle.service.getNavigationTree(abs), 0);
  const added: string[] = [];
  for (const statement of sf.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    for (let e: ts.Expression = statement.expression; ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken; e = e.right) {
      if (!ts.isPropertyAccessExpression(e.left)) continue;
      const name = e.left.name.text;
      const start = e.getStart(sf);
      for (const item of oracle.service.getNavigateToItems(name, 500, abs).filter((i) => i.name === name && i.textSpan.start === start)) {
        if (entries.some((t) => t.start === start || (t.name === name && t.line === line(start)))) continue;
        added.push(`0 ${item.kind} ${name} ${line(start)}`);
      }
    }
  }
  return [...entries.map((t) => `${t.depth} ${t.kind} ${t.name} ${t.line}`), ...added].sort();
}

function writeTree(root: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([rel, text]) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  });
}

type Hit = { path: string; line: number; column: number; name?: string; kind?: string; container?: string };

describe('symbol tools on CommonJS, against TypeScript\'s language service', function () {
  this.timeout(180_000);
  const tools = createNodeTools();
  let root: string;
  let oracle: Oracle;

  const call = async (tool: string, args: JsonObject) => runTool(tools, tool, args, toolContext([root]));
  const hitsOf = (value: unknown) => value as Hit[];
  const at = (h: Hit) => `${h.path}:${h.line}:${h.column}`;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-cjs-')));
    oracle = new Oracle(root, writeTree(root, FIXTURE));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('symbols lists what navigate-to lists, each assignment under the object it is assigned to', async () => {
    for (const query of ['send', 'use', 'json', 'header', 'createApplication', 'listen']) {
      const out = await call('symbols', { query });
      const ours = hitsOf(out.value).map((h) => `${h.path}:${h.line} ${h.kind} ${h.name}`).sort();
      const theirs = oracle.service
        .getNavigateToItems(query, 500)
        .filter((i) => oracle.where(i.fileName, 0) !== undefined)
        .map((i) => `${oracle.where(i.fileName, i.textSpan.start)!.replace(/:\d+$/, '')} ${i.kind} ${i.name}`)
        .sort();
      assert.deepEqual(ours, theirs, query);
    }
    const send = await call('symbols', { query: 'send' });
    assert.match(send.text, /method send \(in res\) — lib\/response\.js:11/);
    const json = hitsOf((await call('symbols', { query: 'json' })).value).map((h) => `${h.path} ${h.kind} ${h.container ?? ''}`);
    assert.ok(json.includes('lib/express.js function exports'), JSON.stringify(json));
    assert.ok(json.includes('lib/response.js method res'), JSON.stringify(json));
  });

  it('definition and references agree with TypeScript at every identifier', async () => {
    let compared = 0;
    for (const file of Object.keys(FIXTURE)) {
      const abs = path.join(root, file);
      for (const { pos, at: where } of oracle.identifiers(abs)) {
        const refs = await call('references', { name_or_location: where });
        assert.deepEqual(unique(hitsOf(refs.value).map(at)), oracle.references(abs, pos), `references at ${where}`);
        const defs = await call('definition', { name_or_location: where });
        assert.deepEqual(unique(hitsOf(defs.value).map(at)), oracle.definitions(abs, pos), `definition at ${where}`);
        compared++;
      }
    }
    assert.ok(compared > 100, `${compared} identifiers compared`);
  });

  it('finds res.send and app.use by name: their declarations, and the references TypeScript finds from them', async () => {
    for (const [name, file] of [['res.send', 'lib/response.js'], ['app.use', 'lib/application.js'], ['exports.json', 'lib/express.js'], ['res.header', 'lib/response.js']] as const) {
      const [object, bare] = name.split('.') as [string, string];
      const declared = oracle.assigned(object, bare, path.join(root, file));
      assert.ok(declared.length > 0, `TypeScript declares ${name}`);
      const defs = hitsOf((await call('definition', { name_or_location: name })).value);
      // One declaration: the property assigned, where TypeScript's navigate-to puts it.
      const property = declared[0]!;
      assert.deepEqual(defs.map(at), [oracle.where(property.item.fileName, property.pos)], name);
      const refs = await call('references', { name_or_location: name });
      const theirs = unique(declared.flatMap((d) => oracle.references(d.item.fileName, d.pos)));
      assert.deepEqual(unique(hitsOf(refs.value).map(at)), theirs, name);
    }
    // A method assigned to a prototype is asked for by its class, or as written.
    for (const name of ['Router.route', 'Router.prototype.route']) {
      assert.deepEqual(hitsOf((await call('definition', { name_or_location: name })).value).map(at), ['lib/router.js:2:18'], name);
    }
    // TypeScript follows app.use to its use through require() in another file.
    const use = await call('references', { name_or_location: 'app.use' });
    assert.match(use.text, /app\.js\n\s+5:13: application\.use/);
    // Nothing follows `res`, an Object.create() result: the answer says why instead of suggesting send is unused.
    const send = await call('references', { name_or_location: 'res.send' });
    assert.match(send.text, /Only declarations were found: the TypeScript language service follows uses through values it can type/);
    assert.doesNotMatch(send.text, /files only/);
  });

  it('names the containers a name is declared in when the one asked for has none, without blaming the language', async () => {
    const out = await call('definition', { name_or_location: 'express.json' });
    assert.match(out.text, /^No definition found for "express\.json"\. "json" is declared in other containers: function json \(in exports\) — lib\/express\.js:19; method json \(in res\) — lib\/response\.js:18\. Ask for one of those/);
    assert.doesNotMatch(out.text, /files only/);
  });

  it('outline lists what TypeScript\'s navigation tree and navigate-to list, naming what module.exports is assigned', async () => {
    for (const file of Object.keys(FIXTURE)) {
      const abs = path.join(root, file);
      const ours = (await call('outline', { path: file })).value as unknown as Array<{ name: string; kind: string; line: number; depth: number }>;
      const named = ours.map((e) => `${e.depth} ${e.kind} ${e.name} ${e.line}`);
      // The same entries; where TypeScript has no name for an assignment, the outline shows what it assigns to.
      assert.deepEqual(named.map((e) => e.replace(/ (module\.exports|exports = module\.exports) (\d+)$/, ' <unknown> $2')).sort(), theirOutline(oracle, abs), file);
      const top = ours.filter((e) => e.depth === 0).map((e) => e.line);
      assert.deepEqual(top, [...top].sort((a, b) => a - b), `${file}: in file order`);
    }
    const response = await call('outline', { path: 'lib/response.js' });
    assert.match(response.text, /const module\.exports \(line 4\)/);
    assert.doesNotMatch(response.text, /<unknown>/);
    // `res.set = res.header = function header…`: the alias is an entry of its own, named with its object.
    assert.match(response.text, /property res\.set \(lines 23-27\)\n\s+function header \(lines 24-27\)/);
    assert.ok((response.value as unknown as Array<{ name: string; container?: string }>).some((e) => e.name === 'set' && e.container === 'res'));
    // Each overload signature is an entry; the body's declarations are under the implementation.
    const shapes = (await call('outline', { path: 'lib/shapes.ts' })).text;
    assert.match(shapes, /export function area \(line 1\)\n\s+export function area \(line 2\)\n\s+export function area \(lines 3-6\)\n\s+const product \(line 4\)/);
    assert.match(shapes, /method draw \(line 8\)\n\s+method draw \(line 9\)\n\s+method draw \(lines 10-13\)\n\s+const seen \(line 11\)/);
  });
});

describe('symbol tools on express itself, against TypeScript\'s language service', function () {
  this.timeout(180_000);
  const tools = createNodeTools();
  let root: string;
  let oracle: Oracle;
  const files: Record<string, string> = {};
  const call = async (tool: string, args: JsonObject) => runTool(tools, tool, args, toolContext([root]));

  before(() => {
    // express comes with the MCP SDK's dependencies; its lib/ is copied into a workspace of its own.
    const lib = path.join(path.dirname(require.resolve('express/package.json')), 'lib');
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-express-')));
    for (const name of fs.readdirSync(lib).filter((f) => f.endsWith('.js'))) files[`lib/${name}`] = fs.readFileSync(path.join(lib, name), 'utf8');
    oracle = new Oracle(root, writeTree(root, files));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds res.send, res.json and app.use by name where TypeScript declares them, and their references as it does', async () => {
    for (const [name, file] of [['res.send', 'lib/response.js'], ['res.json', 'lib/response.js'], ['app.use', 'lib/application.js'], ['app.listen', 'lib/application.js']] as const) {
      const [object, bare] = name.split('.') as [string, string];
      const declared = oracle.assigned(object, bare, path.join(root, file));
      const property = declared[0];
      assert.ok(property, `TypeScript declares ${name}`);
      const line = oracle.where(property.item.fileName, property.pos)!;
      const defs = (await call('definition', { name_or_location: name })).value as unknown as Hit[];
      assert.deepEqual(defs.map((h) => `${h.path}:${h.line}:${h.column}`), [line], name);
      const refs = (await call('references', { name_or_location: name })).value as unknown as Hit[];
      const theirs = unique(declared.flatMap((d) => oracle.references(d.item.fileName, d.pos)));
      assert.deepEqual(unique(refs.map((h) => `${h.path}:${h.line}:${h.column}`)), theirs, name);
    }
    const symbols = await call('symbols', { query: 'send' });
    assert.match(symbols.text, /method send \(in res\) — lib\/response\.js:\d+/);
  });

  it('outlines every file of express as TypeScript\'s navigation tree and navigate-to do, naming module.exports', async () => {
    for (const file of Object.keys(files)) {
      const ours = ((await call('outline', { path: file })).value as unknown as Array<{ name: string; kind: string; line: number; depth: number }>).map(
        (e) => `${e.depth} ${e.kind} ${e.name === 'module.exports' ? '<unknown>' : e.name} ${e.line}`,
      );
      assert.deepEqual(ours.sort(), theirOutline(oracle, path.join(root, file)), file);
    }
    const top = ((await call('outline', { path: 'lib/express.js' })).value as unknown as Array<{ name: string; depth: number }>).filter((e) => e.depth === 0);
    assert.ok(top.some((e) => e.name === 'createApplication'), JSON.stringify(top));
  });

  it('lists the CommonJS aliases and exports an outline used to leave out', async () => {
    const outline = async (file: string) => (await call('outline', { path: file })).text;
    const response = await outline('lib/response.js');
    // `res.contentType = res.type = function contentType…`: both names, then the function they name.
    assert.match(response, /property res\.contentType \(lines 507-\d+\)\n\s+method res\.type \(lines 508-\d+\)\n\s+(?:public )?function contentType \(lines 508-/);
    assert.match(response, /property res\.set \(lines 670-\d+\)\n\s+(?:public )?function header \(lines 671-/);
    assert.match(await outline('lib/request.js'), /property req\.get \(lines 63-\d+\)\n\s+(?:public )?function header \(lines 64-/);
    assert.match(await outline('lib/utils.js'), /const exports\.etag \(line 40\)/);
    assert.match(await outline('lib/express.js'), /const exports\.Router \(line 71\)/);
  });
});
