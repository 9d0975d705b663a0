import * as vscode from 'vscode';
import { FeatureUnavailable, type Ctx } from '../context';

/** A command's implementation; `title` names it in messages ("Export Schema Snapshot is not available yet"). */
export interface CommandSpec {
  title: string;
  run(...args: unknown[]): unknown;
}

/**
 * Registers a group of commands for the lifetime of the extension, so they exist even while the
 * server is down. Failures become one message in words: a feature the running server lacks says
 * so plainly rather than pretending to work.
 */
export function registerCommands(ctx: Ctx, table: Record<string, CommandSpec>): void {
  for (const [id, spec] of Object.entries(table)) {
    ctx.pushExtCleanup(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await spec.run(...args);
        } catch (error) {
          if (error instanceof FeatureUnavailable) {
            void vscode.window.showInformationMessage(
              `Live Schema: ${spec.title} is not available yet: this version of the language server does not provide it.`,
            );
            return undefined;
          }
          const message = error instanceof Error ? error.message : String(error);
          ctx.output.appendLine(`${spec.title} failed: ${message}`);
          void vscode.window.showErrorMessage(`Live Schema: ${spec.title} failed: ${message}`);
          return undefined;
        }
      }),
    );
  }
}

/**
 * The connection a command acts on: the one given (tree item or argument), the only one there
 * is, or the user's pick. Undefined when the user cancels or there is none.
 */
export async function pickConnection(
  ctx: Ctx,
  given: unknown,
  placeHolder: string,
  filter: (driver: string) => boolean = () => true,
): Promise<string | undefined> {
  if (typeof given === 'string') return given;
  const fromNode = (given as { status?: { name?: unknown }; connection?: unknown } | undefined) ?? {};
  if (typeof fromNode.status?.name === 'string') return fromNode.status.name;
  if (typeof fromNode.connection === 'string') return fromNode.connection;
  const names = configuredConnections(ctx)
    .filter((c) => filter(c.driver))
    .map((c) => c.name);
  if (names.length === 0) {
    void vscode.window.showInformationMessage(
      'Live Schema: no connection is configured. Run "Live Schema: Add Connection".',
    );
    return undefined;
  }
  if (names.length === 1) return names[0];
  return vscode.window.showQuickPick(names, { placeHolder });
}

/** Connections as the server reports them, or as settings list them while the server is down. */
export function configuredConnections(ctx: Ctx): { name: string; driver: string }[] {
  if (ctx.connections.length > 0) return ctx.connections.map((c) => ({ name: c.name, driver: c.driver }));
  const raw = vscode.workspace.getConfiguration('liveSchema').get<unknown[]>('connections') ?? [];
  return raw.flatMap((entry) => {
    const c = entry as { name?: unknown; driver?: unknown; database?: unknown };
    const driver = typeof c.driver === 'string' ? c.driver : 'postgres';
    const name =
      typeof c.name === 'string' ? c.name : `${driver}:${typeof c.database === 'string' ? c.database : 'embedded'}`;
    return [{ name, driver }];
  });
}
