import type { Ctx } from '../context';
import { Command } from '../ids';
import { registerCommands } from './commandTable';

/** Show Output and Restart Server: the language server's own lifecycle. */
export function registerServerCommands(ctx: Ctx): void {
  registerCommands(ctx, {
    [Command.showOutput]: { title: 'Show Output', run: () => ctx.output.show(true) },
    [Command.restartServer]: { title: 'Restart Server', run: () => ctx.restart() },
  });
}
