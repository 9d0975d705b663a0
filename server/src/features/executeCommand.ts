import type { Connection, ServerCapabilities } from 'vscode-languageserver';

/** Server-side commands the client invokes through `workspace/executeCommand`. */
export const ServerCommands = {
  /** Check one document now, even above the size limit. Argument: the document URI. */
  checkFile: 'liveSchema.server.checkFile',
} as const;

export const executeCommandCapability: Pick<ServerCapabilities, 'executeCommandProvider'> = {
  executeCommandProvider: { commands: Object.values(ServerCommands) },
};

export interface CommandHandlers {
  checkFile(uri: string): void;
}

export function registerExecuteCommand(connection: Connection, handlers: CommandHandlers): void {
  connection.onExecuteCommand((params) => {
    const first: unknown = params.arguments?.[0];
    if (params.command === ServerCommands.checkFile && typeof first === 'string') handlers.checkFile(first);
    return null;
  });
}
