import type { ErrorReason } from '../../base/errors';
import type { SymbolHit, SymbolProject } from './symbolContract';
import type { SymbolTarget } from './symbolSupport';

/** A declaration `references` started from, for the note on same-named symbols. */
export interface DeclaredSymbol {
  kind: string;
  name: string;
  container: string;
  abs: string;
  line: number;
}

export interface OutlineItem {
  name: string;
  kind: string;
  kindModifiers: string;
  line: number;
  endLine: number;
  depth: number;
  /** For a declaration by assignment (`res.set = …`), the object assigned to. */
  container?: string;
}

/**
 * The projects that answered a query, by their config file's absolute path (`undefined` for the files of a folder
 * that no `tsconfig.json`/`jsconfig.json` takes), and the folder; named only when the workspace has config projects.
 */
export type AnsweringProject = SymbolProject;

/** What the symbol worker answers, per operation: plain data the tools turn into text, value and locations. */
export interface SymbolOps {
  symbols: { query: { query: string; max: number }; result: { total: number; hits: SymbolHit[]; projects: AnsweringProject[] } };
  /** `elsewhere`: for `Container.name` that matched nothing, declarations of the name in other containers. */
  definition: {
    query: { target: SymbolTarget; maxIdentifiers: number };
    result: { hits: SymbolHit[]; elsewhere: SymbolHit[]; projects: AnsweringProject[] };
  };
  references: {
    query: { target: SymbolTarget; maxReferences: number; maxDeclarations: number };
    result: { hits: SymbolHit[]; declared: DeclaredSymbol[]; capped: boolean; elsewhere: SymbolHit[]; projects: AnsweringProject[] };
  };
  /** From the file's syntax alone: no project is built. */
  outline: { query: { abs: string }; result: { lines: number; items: OutlineItem[] } };
  /** Builds the program ahead of the first question's symbol calls, when the workspace has one project. */
  warm: { query: object; result: { files: number } };
  /** The projects the worker knows (config path, or the folder for files in none) and those with a live service. */
  projects: { query: object; result: { known: AnsweringProject[]; live: AnsweringProject[] } };
}

export type SymbolOp = keyof SymbolOps;
export type SymbolQuery<K extends SymbolOp = SymbolOp> = { op: K } & SymbolOps[K]['query'];

export interface SymbolRequest {
  id: number;
  /**
   * The workspace's listed files, sent when they changed since the worker last heard: TypeScript and JavaScript
   * sources, and the `tsconfig.json`/`jsconfig.json` files that make projects of them.
   */
  files?: string[];
  query: SymbolQuery;
}

export type SymbolResponse =
  /** `read`: the files the program holds beyond those it was sent (found through imports and references). */
  | { id: number; result: unknown; read: string[] }
  | { id: number; error: { reason?: ErrorReason; message: string } };
