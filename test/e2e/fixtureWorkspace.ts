// Throwaway workspace folders for end-to-end runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Two files: `add` defined in src/math.ts and called in src/main.ts. */
export const ADD_WORKSPACE: Record<string, string> = {
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'src/main.ts': "import { add } from './math';\nconsole.log(add(1, 2));\n",
};

/** Creates a temporary folder holding `files` (relative path → content) and returns its absolute path. */
export function makeWorkspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-e2e-ws-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

export function removeWorkspace(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
