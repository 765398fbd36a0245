import type { ErrorReason } from '../../base/errors';
import type { SymbolHit, SymbolTarget } from './symbolContract';

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
}

/** What the symbol worker answers, per operation: plain data the tools turn into text, value and locations. */
export interface SymbolOps {
  symbols: { query: { query: string; max: number }; result: { total: number; hits: SymbolHit[] } };
  /** `elsewhere`: for `Container.name` that matched nothing, declarations of the name in other containers. */
  definition: { query: { target: SymbolTarget; maxIdentifiers: number }; result: { hits: SymbolHit[]; elsewhere: SymbolHit[] } };
  references: {
    query: { target: SymbolTarget; maxReferences: number; maxDeclarations: number };
    result: { hits: SymbolHit[]; declared: DeclaredSymbol[]; capped: boolean; elsewhere: SymbolHit[] };
  };
  outline: { query: { abs: string }; result: { lines: number; items: OutlineItem[] } };
  /** Builds the program ahead of the first question's symbol calls. */
  warm: { query: object; result: { files: number } };
}

export type SymbolOp = keyof SymbolOps;
export type SymbolQuery<K extends SymbolOp = SymbolOp> = { op: K } & SymbolOps[K]['query'];

export interface SymbolRequest {
  id: number;
  /** The files of the program, sent when they changed since the worker last heard. */
  files?: string[];
  query: SymbolQuery;
}

export type SymbolResponse =
  /** `read`: the files the program holds beyond those it was sent (found through imports and references). */
  | { id: number; result: unknown; read: string[] }
  | { id: number; error: { reason?: ErrorReason; message: string } };
