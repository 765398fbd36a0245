import type { ExternalToolsReport } from '../shared/externalTools';

/**
 * What a session was offered from outside the workspace, for a person: per server the tools offered, each tool
 * held back with why, each server left out with why, and `--allow-tool` patterns that matched nothing.
 */
export function externalToolsLines(report: ExternalToolsReport): string[] {
  const lines: string[] = [];
  const servers = [...new Set([...report.offered, ...report.heldBack].map((t) => t.origin.name))];
  for (const server of servers) {
    const offered = report.offered.filter((t) => t.origin.name === server);
    lines.push(
      offered.length
        ? `MCP server "${server}" offers ${offered.map((t) => (t.allowedBy ? `${t.name} (--allow-tool ${t.allowedBy})` : t.name)).join(', ')}`
        : `MCP server "${server}" offers no tool`,
    );
    for (const held of report.heldBack.filter((t) => t.origin.name === server)) {
      lines.push(`MCP server "${server}" holds back ${held.name}: ${held.reason}`);
    }
  }
  for (const failed of report.failed) lines.push(`MCP server "${failed.origin.name}" left out: ${failed.message}`);
  for (const pattern of report.unmatchedAllows) lines.push(`--allow-tool ${pattern} matches no tool`);
  return lines;
}
