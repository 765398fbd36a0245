import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompilerEvent, RunSummary } from '../../shared/runEvents';
import type { FileLocation } from '../../shared/toolContract';
import { CitationStream } from '../../surfaces/citations';
import type { AnswerSegment, Citation } from '../../surfaces/citations';
import { COMMANDS } from '../../surfaces/commandIds';
import { describeError } from '../../surfaces/errorMessage';
import { ProgressLines } from '../../surfaces/progressLines';
import { runFooter } from '../../surfaces/runFooter';
import { rootNames } from '../../tools/paths/workspacePath';
import type { RunMode } from '../../shared/modes';

const MAX_REFERENCES = 40;

/** The parts of a chat response stream a renderer writes. */
export type ChatOutput = Pick<vscode.ChatResponseStream, 'progress' | 'reference' | 'anchor' | 'markdown' | 'button'>;

/**
 * A stream that shows progress and references at once but keeps the answer back until `replay`. Chat folds
 * everything up to the last progress line into "Completed N steps", so an answer followed by another run's
 * progress would disappear into it.
 */
export function deferredOutput(stream: ChatOutput): { output: ChatOutput; replay(): void } {
  const later: Array<() => void> = [];
  return {
    output: {
      progress: (value) => stream.progress(value),
      reference: (value, icon) => stream.reference(value, icon),
      anchor: (value, title) => later.push(() => stream.anchor(value, title)),
      markdown: (value) => later.push(() => stream.markdown(value)),
      button: (command) => later.push(() => stream.button(command)),
    },
    replay: () => later.splice(0).forEach((write) => write()),
  };
}

export function graphButton(runId: string, title = 'Show Task Graph'): vscode.Command {
  return { command: COMMANDS.showTaskGraph, arguments: [runId], title };
}

/** A file location as VS Code's, lines and columns 0-based. */
export function toLocation(loc: FileLocation): vscode.Location {
  const line = Math.max(0, (loc.line ?? 1) - 1);
  const column = Math.max(0, (loc.column ?? 1) - 1);
  const endLine = Math.max(line, (loc.endLine ?? loc.line ?? 1) - 1);
  const endColumn = loc.endColumn !== undefined ? loc.endColumn - 1 : loc.endLine !== undefined && loc.endLine !== loc.line ? 0 : column;
  return new vscode.Location(vscode.Uri.file(loc.path), new vscode.Range(line, column, endLine, Math.max(0, endColumn)));
}

/**
 * Writes one run into a chat response: a progress line per planning step and task, the files the tasks touched as
 * references, the answer as it streams with its `path:line` citations as anchors, then the footer or the error.
 */
export class ChatRenderer {
  private readonly progress = new ProgressLines();
  private readonly citations = new CitationStream();
  private readonly referenced = new Set<string>();
  private readonly known: FileLocation[] = [];
  private readonly exists = new Map<string, boolean>();
  private answered = false;
  private mode: RunMode = 'compiler';

  constructor(
    private readonly stream: ChatOutput,
    private readonly roots: readonly string[],
    /** Put before every progress line, e.g. `ReAct: ` when two runs share one response. */
    private readonly progressPrefix = '',
  ) {}

  readonly observe = (event: CompilerEvent): void => {
    if (event.type === 'run-start') this.mode = event.mode;
    for (const line of this.progress.lines(event)) this.stream.progress(`${this.progressPrefix}${line}`);
    if (event.type === 'task-finished' && event.locations) this.addReferences(event.locations);
    if (event.type === 'answer-delta') this.writeSegments(this.citations.push(event.text));
  };

  /** Ends the answer; then the footer (answered), a note (cancelled) or the error with its buttons (failed). */
  finish(summary: RunSummary & { runId: string }, options: { graphButton?: boolean } = {}): void {
    this.writeSegments(this.citations.end());
    if (summary.outcome === 'answered') {
      if (!this.answered && summary.answer) {
        const whole = new CitationStream();
        this.writeSegments([...whole.push(summary.answer), ...whole.end()]);
      }
      this.stream.markdown(runFooter(summary, this.mode));
    } else if (summary.outcome === 'cancelled') {
      this.stream.markdown(`${this.answered ? '\n\n' : ''}*Cancelled.*`);
    } else {
      this.error(summary.error ?? { reason: 'internal', message: 'The run failed.' });
    }
    if (options.graphButton ?? true) this.stream.button(graphButton(summary.runId));
  }

  error(error: Parameters<typeof describeError>[0]): void {
    const shown = describeError(error);
    this.stream.markdown(`${this.answered ? '\n\n' : ''}${shown.message}`);
    for (const action of shown.actions) this.stream.button(action);
  }

  private addReferences(locations: readonly FileLocation[]): void {
    for (const loc of locations) {
      this.known.push(loc);
      const key = `${loc.path}:${loc.line ?? ''}`;
      if (this.referenced.has(key) || this.referenced.size >= MAX_REFERENCES) continue;
      this.referenced.add(key);
      this.stream.reference(loc.line !== undefined ? toLocation(loc) : vscode.Uri.file(loc.path));
    }
  }

  private writeSegments(segments: AnswerSegment[]): void {
    for (const segment of segments) {
      this.answered = true;
      const location = segment.kind === 'cite' ? this.resolve(segment) : undefined;
      if (location) this.stream.anchor(location, segment.text);
      else this.stream.markdown(segment.kind === 'cite' ? segment.raw : segment.text);
    }
  }

  /** A cited file: under a workspace root (by root name in a multi-root workspace), else a file a task reported. */
  private resolve(cite: Citation): vscode.Location | undefined {
    const rel = cite.path.replace(/\\/g, '/').replace(/^\.\//, '');
    const candidates: string[] = [];
    if (path.isAbsolute(rel)) candidates.push(rel);
    else {
      const names = rootNames(this.roots);
      const [first, ...rest] = rel.split('/');
      const i = names.indexOf(first!);
      if (this.roots.length > 1 && i >= 0) candidates.push(path.join(this.roots[i]!, ...rest));
      for (const root of this.roots) candidates.push(path.join(root, rel));
    }
    let abs = candidates.find((c) => this.roots.some((r) => c.startsWith(r + path.sep)) && this.isFile(c));
    abs ??= this.known.find((k) => k.relPath === rel || k.relPath.endsWith(`/${rel}`))?.path;
    if (!abs) return undefined;
    return toLocation({ path: abs, relPath: rel, line: cite.line, ...(cite.column ? { column: cite.column } : {}), ...(cite.endLine ? { endLine: cite.endLine } : {}) });
  }

  private isFile(abs: string): boolean {
    let known = this.exists.get(abs);
    if (known === undefined) {
      try {
        known = fs.statSync(abs).isFile();
      } catch {
        known = false;
      }
      this.exists.set(abs, known);
    }
    return known;
  }
}
