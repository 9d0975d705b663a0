import type { Connection, ServerCapabilities } from 'vscode-languageserver';

/** Server-side commands the client invokes through `workspace/executeCommand`. */
export const ServerCommands = {
  /** Check one document now, even above the size limit. Argument: the document URI. */
  checkFile: 'liveSchema.server.checkFile',
  /** Migrate the SQL string at an offset (the "Migrate to …" code action). Argument: `{ uri, version, offset }`. */
  migrateAt: 'liveSchema.server.migrateAt',
  /** Replace the hard-coded name at an offset by its schema module reference. Argument: `{ uri, version, offset }`. */
  referenceSchemaModuleAt: 'liveSchema.server.referenceSchemaModuleAt',
} as const;

export const executeCommandCapability: Pick<ServerCapabilities, 'executeCommandProvider'> = {
  executeCommandProvider: { commands: Object.values(ServerCommands) },
};

export interface CommandHandlers {
  checkFile(uri: string): void;
  migrateAt(argument: unknown): Promise<void>;
  referenceSchemaModuleAt(argument: unknown): Promise<void>;
}

export function registerExecuteCommand(connection: Connection, handlers: CommandHandlers): void {
  connection.onExecuteCommand(async (params) => {
    const first: unknown = params.arguments?.[0];
    if (params.command === ServerCommands.checkFile && typeof first === 'string') handlers.checkFile(first);
    if (params.command === ServerCommands.migrateAt) await handlers.migrateAt(first);
    if (params.command === ServerCommands.referenceSchemaModuleAt) await handlers.referenceSchemaModuleAt(first);
    return null;
  });
}
