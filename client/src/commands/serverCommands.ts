import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { Command } from '../ids';
import { registerCommands } from './commandTable';

/** Show Output, Restart Server and Check This File: the language server's own lifecycle and on-demand checks. */
export function registerServerCommands(ctx: Ctx): void {
  registerCommands(ctx, {
    [Command.showOutput]: { title: 'Show Output', run: () => ctx.output.show(true) },
    [Command.restartServer]: { title: 'Restart Server', run: () => ctx.restart() },
    [Command.checkFile]: {
      title: 'Check This File',
      // Checks the active file now, even when it is over liveSchema.validation.maxFileSizeKb.
      run: () => {
        const uri = vscode.window.activeTextEditor?.document.uri.toString();
        return uri ? vscode.commands.executeCommand('liveSchema.server.checkFile', uri) : undefined;
      },
    },
  });
}
