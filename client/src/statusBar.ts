import * as vscode from 'vscode';
import type { Ctx } from './context';
import { describeStatus, formatAge, STATE_ICON } from './format';
import { Command } from './ids';

/** How often the schema age shown is brought up to date without a message from the server. */
const AGE_TICK_MS = 30_000;

/** The status bar item: the state of the connection(s) and the age of the schema in use. */
export function createStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('liveSchema.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Live Schema';
  item.command = `workbench.view.extension.liveSchema`;
  const update = () => render(item, ctx);
  const timer = setInterval(update, AGE_TICK_MS);
  ctx.pushExtCleanup(item, ctx.onDidChangeStatus(update), ctx.onDidChangeClient(update), {
    dispose: () => clearInterval(timer),
  });
  update();
  item.show();
}

function render(item: vscode.StatusBarItem, ctx: Ctx): void {
  const connections = ctx.connections;
  if (!ctx.client) {
    item.text = '$(circle-slash) Live Schema';
    item.tooltip = 'The Live Schema language server is not running. Click to open the Live Schema views.';
    item.backgroundColor = undefined;
    return;
  }
  if (connections.length === 0) {
    item.text = '$(database) Live Schema: no connection';
    item.tooltip = new vscode.MarkdownString(
      `No connection and no schema files found. [Add Connection](command:${Command.addConnection})`,
    );
    item.tooltip.isTrusted = { enabledCommands: [Command.addConnection] };
    item.backgroundColor = undefined;
    return;
  }
  // The least healthy connection decides the icon and colour; all are listed in the tooltip.
  const order: (typeof connections)[number]['state'][] = ['error', 'offline', 'stale', 'connecting', 'connected'];
  const worst = [...connections].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state))[0];
  const age = worst.schemaAgeMs === null ? '' : ` · ${formatAge(worst.schemaAgeMs)}`;
  const same = connections.filter((c) => c.state === worst.state).length;
  // "shop: connected · 2 min", or with several connections "1 of 2 offline" (never all of them).
  item.text =
    connections.length === 1
      ? `$(${STATE_ICON[worst.state]}) ${worst.name}: ${worst.state}${age}`
      : `$(${STATE_ICON[worst.state]}) Live Schema: ${same === connections.length ? 'all' : `${same} of ${connections.length}`} ${worst.state}`;
  item.tooltip = new vscode.MarkdownString(
    connections
      .map(
        (c) =>
          `**${c.name}** (${c.driver}): ${describeStatus(c)}, ${c.tables} tables${c.message ? `  \n${escapeMarkdown(c.message)}` : ''}`,
      )
      .join('\n\n'),
  );
  item.backgroundColor =
    worst.state === 'error' || worst.state === 'offline'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : worst.state === 'stale'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
