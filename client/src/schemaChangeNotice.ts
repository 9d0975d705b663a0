import * as vscode from 'vscode';
import { SchemaChanged, type BrokenReference } from '../../server/src/protocol/customMessages';
import type { Ctx } from './context';

const SHOW_BROKEN = 'Show Broken References';
const SHOW_CHANGES = 'Show Changes';

/**
 * The "schema changed" notification: how many references in the workspace the change broke, with
 * buttons to walk them or to read the change itself in the output channel.
 */
export function registerSchemaChangeNotice(ctx: Ctx): void {
  ctx.pushExtCleanup(
    ctx.onDidChangeClient((client) => {
      if (client)
        ctx.pushClientCleanup(client.onNotification(SchemaChanged.type, (params) => void notify(ctx, params)));
    }),
  );
}

async function notify(ctx: Ctx, { connection, changes, broken }: SchemaChanged.Params): Promise<void> {
  const changed = `Live Schema: the schema of ${connection} changed (${plural(changes.length, 'change')})`;
  let picked: string | undefined;
  if (broken === null) {
    picked = await vscode.window.showInformationMessage(
      `${changed}; the workspace is not indexed yet, so broken references are not counted.`,
      SHOW_CHANGES,
    );
  } else if (broken.total === 0) {
    picked = await vscode.window.showInformationMessage(
      `${changed}; no reference in the workspace broke.`,
      SHOW_CHANGES,
    );
  } else {
    picked = await vscode.window.showWarningMessage(
      `${changed}; ${plural(broken.total, 'reference')} in the workspace broke.`,
      SHOW_BROKEN,
      SHOW_CHANGES,
    );
  }
  if (picked === SHOW_CHANGES) {
    ctx.output.appendLine(`Schema of ${connection} changed:`);
    for (const change of changes) ctx.output.appendLine(`  ${change}`);
    ctx.output.show(true);
  } else if (picked === SHOW_BROKEN && broken) {
    await pickBrokenReference(connection, broken.total, broken.references);
  }
}

async function pickBrokenReference(connection: string, total: number, references: BrokenReference[]): Promise<void> {
  const shown = references.length < total ? ` (first ${references.length} of ${total})` : ` (${total})`;
  const picked = await vscode.window.showQuickPick(
    references.map((reference) => ({
      label: `${vscode.workspace.asRelativePath(vscode.Uri.parse(reference.uri))}:${reference.range.start.line + 1}`,
      description: reference.name,
      reference,
    })),
    { title: `References broken by the schema change of ${connection}${shown}`, matchOnDescription: true },
  );
  if (!picked) return;
  const { start, end } = picked.reference.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(picked.reference.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
