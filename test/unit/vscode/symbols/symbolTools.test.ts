import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CompilerError } from '../../../../src/base/errors';
import type { JsonObject } from '../../../../src/shared/json';
import type { Tool } from '../../../../src/shared/toolContract';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import type * as SymbolToolsModule from '../../../../src/vscode/symbols/symbolTools';
import { oracleLanguageService } from '../../../support/oracles';
import { toolContext } from '../../../support/toolHarness';

// The VS Code symbol tools run against a fake of the `vscode` module whose language features answer as VS Code's
// TypeScript extension does, from TypeScript's own language service over the same files: the same calls through
// both backends must give the same values.

const FILES: Record<string, string> = {
  'src/math.ts': [
    'export function add(a: number, b: number): number {',
    '  return a + b;',
    '}',
    '',
    'export interface Shape {',
    '  area(): number;',
    '}',
    '',
    'export class Calculator {',
    '  private total = 0;',
    '  add(value: number): this {',
    '    this.total = add(this.total, value);',
    '    return this;',
    '  }',
    '  result(): number {',
    '    return this.total;',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/main.ts': [
    "import { Calculator, add } from './math';",
    '',
    'export function run(): number {',
    '  return new Calculator().add(add(1, 2)).result();',
    '}',
    '',
  ].join('\n'),
};

enum SymbolKind { File, Module, Namespace, Package, Class, Method, Property, Field, Constructor, Enum, Interface, Function, Variable, Constant, String, Number, Boolean, Array, Object, Key, Null, EnumMember, Struct, Event, Operator, TypeParameter }

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}
class Uri {
  readonly scheme = 'file';
  private constructor(readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri(p);
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}
class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}
class SymbolInformation {
  readonly location: Location;
  constructor(
    readonly name: string,
    readonly kind: SymbolKind,
    readonly containerName: string,
    location: Location,
  ) {
    this.location = location;
  }
}

/** How VS Code's TypeScript extension names TypeScript's kinds. */
function symbolKind(kind: string): SymbolKind {
  switch (kind) {
    case 'module':
      return SymbolKind.Module;
    case 'class':
      return SymbolKind.Class;
    case 'enum':
      return SymbolKind.Enum;
    case 'interface':
      return SymbolKind.Interface;
    case 'method':
      return SymbolKind.Method;
    case 'property':
    case 'getter':
    case 'setter':
      return SymbolKind.Property;
    case 'function':
    case 'local function':
      return SymbolKind.Function;
    case 'constructor':
      return SymbolKind.Constructor;
    default:
      return SymbolKind.Variable;
  }
}

function fakeLanguageServer(root: string) {
  const names = Object.keys(FILES).map((f) => path.join(root, f));
  const service = oracleLanguageService(root, names, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext });
  const sf = (f: string) => service.getProgram()!.getSourceFile(f)!;
  const pos = (f: string, p: Position) => ts.getPositionOfLineAndCharacter(sf(f), p.line, p.character);
  const range = (f: string, span: ts.TextSpan) => {
    const a = ts.getLineAndCharacterOfPosition(sf(f), span.start);
    const b = ts.getLineAndCharacterOfPosition(sf(f), span.start + span.length);
    return new Range(new Position(a.line, a.character), new Position(b.line, b.character));
  };
  const documentSymbol = (f: string, node: ts.NavigationTree): unknown => ({
    name: node.text,
    kind: symbolKind(node.kind),
    range: range(f, node.spans[0]),
    selectionRange: node.nameSpan ? range(f, node.nameSpan) : range(f, node.spans[0]),
    children: included(node.childItems).map((c) => documentSymbol(f, c)),
  });
  // The TypeScript extension leaves imports out of a document's symbols.
  const included = (items: ts.NavigationTree[] | undefined) => (items ?? []).filter((i) => i.kind !== 'alias');
  return (command: string, ...args: unknown[]): unknown => {
    switch (command) {
      case 'vscode.executeWorkspaceSymbolProvider':
        return service
          .getNavigateToItems(args[0] as string, 256)
          .map((i) => new SymbolInformation(i.name, symbolKind(i.kind), i.containerName, new Location(Uri.file(i.fileName), range(i.fileName, i.textSpan))));
      case 'vscode.executeDefinitionProvider': {
        const uri = args[0] as Uri;
        return (service.getDefinitionAtPosition(uri.fsPath, pos(uri.fsPath, args[1] as Position)) ?? []).map((d) => ({
          targetUri: Uri.file(d.fileName),
          targetRange: range(d.fileName, d.contextSpan ?? d.textSpan),
          targetSelectionRange: range(d.fileName, d.textSpan),
        }));
      }
      case 'vscode.executeReferenceProvider': {
        const uri = args[0] as Uri;
        return (service.getReferencesAtPosition(uri.fsPath, pos(uri.fsPath, args[1] as Position)) ?? []).map(
          (r) => new Location(Uri.file(r.fileName), range(r.fileName, r.textSpan)),
        );
      }
      case 'vscode.executeDocumentSymbolProvider': {
        const f = (args[0] as Uri).fsPath;
        return included(service.getNavigationTree(f).childItems).map((c) => documentSymbol(f, c));
      }
      default:
        throw new Error(`unexpected command ${command}`);
    }
  };
}

describe('symbol tools in VS Code (with fakes) against the Node backend', function () {
  this.timeout(120_000);
  let root: string;
  let nodeTools: Tool[];
  let editorTools: Tool[];
  let makeEditorTools: typeof SymbolToolsModule.createVsCodeSymbolTools;
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;

  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-contract-')));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const execute = fakeLanguageServer(root);
    const fake = {
      Position,
      Range,
      Uri,
      Location,
      SymbolInformation,
      SymbolKind,
      commands: { executeCommand: async (command: string, ...args: unknown[]) => execute(command, ...args) },
      workspace: { textDocuments: [], openTextDocument: async () => ({}) },
    };
    (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fake : load.call(this, request, ...rest);
    };
    ({ createVsCodeSymbolTools: makeEditorTools } = await import('../../../../src/vscode/symbols/symbolTools.js'));
    nodeTools = createNodeTools({ useRipgrep: false });
    editorTools = makeEditorTools();
  });

  after(() => {
    (Module as unknown as { _load: unknown })._load = load;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const calls: Array<[string, JsonObject]> = [
    ['symbols', { query: 'add' }],
    ['symbols', { query: 'Calculator' }],
    ['symbols', { query: 'Shape' }],
    ['definition', { name_or_location: 'add' }],
    ['definition', { name_or_location: 'Calculator.add' }],
    ['definition', { name_or_location: 'src/main.ts:4:31' }],
    ['definition', { name_or_location: 'src/main.ts:4:27' }],
    ['references', { name_or_location: 'result' }],
    ['references', { name_or_location: 'src/math.ts:1:17' }],
    ['references', { name_or_location: 'src/math.ts#L9' }],
    ['outline', { path: 'src/math.ts' }],
    ['outline', { path: 'src/main.ts' }],
  ];

  for (const [name, args] of calls) {
    it(`${name}(${JSON.stringify(Object.values(args)[0])}) has the same value from both`, async () => {
      const ctx = toolContext([root]);
      const fromNode = await nodeTools.find((t) => t.name === name)!.run(args, ctx);
      const fromEditor = await editorTools.find((t) => t.name === name)!.run(args, ctx);
      assert.ok(Array.isArray(fromNode.value) && fromNode.value.length > 0, `the Node backend finds something: ${fromNode.text}`);
      assert.deepEqual(fromEditor.value, fromNode.value);
    });
  }

  describe('with a file protected by the setting llmCompiler.protectedFiles', () => {
    const globs = ['src/math.*'];
    const refusal = 'refused: src/math.ts matches the setting llmCompiler.protectedFiles `src/math.*`; the tools never read it.';
    // Text only src/math.ts holds: its declarations' lines.
    const secretLines = ['a + b', 'area(): number', 'private total', 'this.total = add('];
    let protectedNode: Tool[];
    let protectedEditor: Tool[];
    before(() => {
      protectedNode = createNodeTools({ useRipgrep: false, protectedGlobs: globs });
      protectedEditor = makeEditorTools(new Map(), undefined, globs);
    });
    const outcome = async (tools: Tool[], name: string, args: JsonObject) => {
      try {
        return { output: await tools.find((t) => t.name === name)!.run(args, toolContext([root])) };
      } catch (error) {
        assert.ok(error instanceof CompilerError, String(error));
        return { reason: error.reason, message: error.message };
      }
    };

    for (const [name, args] of [
      ['outline', { path: 'src/math.ts' }],
      ['definition', { name_or_location: 'src/math.ts:1:17' }],
      ['references', { name_or_location: 'src/math.ts:1:17' }],
      ['references', { name_or_location: 'src/math.ts#L9' }],
    ] as Array<[string, JsonObject]>) {
      it(`${name}(${JSON.stringify(Object.values(args)[0])}) is refused by both, naming the setting's glob`, async () => {
        const fromNode = await outcome(protectedNode, name, args);
        const fromEditor = await outcome(protectedEditor, name, args);
        assert.deepEqual(fromNode, { reason: 'protected-path', message: refusal });
        assert.deepEqual(fromEditor, fromNode);
      });
    }

    for (const [name, args] of [
      ['symbols', { query: 'add' }],
      ['symbols', { query: 'Shape' }],
      ['definition', { name_or_location: 'add' }],
      ['definition', { name_or_location: 'src/main.ts:4:31' }],
      ['definition', { name_or_location: 'src/main.ts:4:27' }],
      ['references', { name_or_location: 'src/main.ts:4:31' }],
      ['references', { name_or_location: 'result' }],
    ] as Array<[string, JsonObject]>) {
      it(`${name}(${JSON.stringify(Object.values(args)[0])}) withholds the protected file in both`, async () => {
        for (const tools of [protectedNode, protectedEditor]) {
          const { output } = await outcome(tools, name, args);
          assert.ok(output, 'answers');
          const shown = `${output.text}\n${JSON.stringify(output.value ?? null)}\n${JSON.stringify(output.locations ?? [])}`;
          assert.ok(!shown.includes('math.ts'), shown);
          for (const line of secretLines) assert.ok(!shown.includes(line), `${line} in ${shown}`);
        }
      });
    }

    it('shows the same references in the other files from both', async () => {
      const args = { name_or_location: 'src/main.ts:4:31' };
      const fromNode = (await outcome(protectedNode, 'references', args)).output!;
      const fromEditor = (await outcome(protectedEditor, 'references', args)).output!;
      assert.ok(Array.isArray(fromNode.value) && fromNode.value.length > 0, fromNode.text);
      assert.deepEqual(fromEditor.value, fromNode.value);
    });
  });

  it('offers the same names, descriptions and parameters as the Node tools', () => {
    for (const tool of editorTools) {
      const node = nodeTools.find((t) => t.name === tool.name)!;
      assert.deepEqual([tool.description, tool.params], [node.description, node.params], tool.name);
    }
  });
});
