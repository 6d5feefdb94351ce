import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** MCP clients whose configuration file `--print-config` writes, and the file each reads. */
export const CLIENT_CONFIG_FILES = {
  'claude-desktop': 'claude_desktop_config.json',
  'claude-code': '.mcp.json',
  vscode: '.vscode/mcp.json',
  cursor: '.cursor/mcp.json',
} as const;
export type McpClient = keyof typeof CLIENT_CONFIG_FILES;
export const MCP_CLIENTS = Object.keys(CLIENT_CONFIG_FILES) as McpClient[];

/**
 * A complete config file that starts this very server over stdio, with absolute paths: the node
 * running it (GUI clients often lack node on PATH) and this package's bin, so it works from a clone
 * or any install without a published package name.
 */
export function clientConfig(client: McpClient, serverArgs: readonly string[]): Record<string, unknown> {
  const entry = { command: process.execPath, args: [binPath(), ...serverArgs] };
  if (client === 'vscode') return { servers: { matryoshka: { type: 'stdio', ...entry } } };
  if (client === 'claude-code') return { mcpServers: { matryoshka: { type: 'stdio', ...entry } } };
  return { mcpServers: { matryoshka: entry } };
}

function binPath(): string {
  const bin = fileURLToPath(new URL('../bin/matryoshka-mcp.js', import.meta.url));
  try {
    return realpathSync(bin);
  } catch {
    return bin;
  }
}
