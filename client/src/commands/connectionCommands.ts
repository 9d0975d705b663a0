import * as vscode from 'vscode';
import { RefreshSchema } from '../../../server/src/protocol/customMessages';
import type { Ctx } from '../context';
import { Command, Setting } from '../ids';
import { pickConnection, registerCommands } from './commandTable';

type DriverChoice = vscode.QuickPickItem & { driver: 'postgres' | 'mysql' | 'pglite'; port: number };

const DRIVER_CHOICES: DriverChoice[] = [
  { label: 'PostgreSQL', description: 'a running server', driver: 'postgres', port: 5432 },
  { label: 'MySQL / MariaDB', description: 'a running server', driver: 'mysql', port: 3306 },
  {
    label: 'Embedded PostgreSQL',
    description: "built from the project's schema or migration files, no server needed",
    driver: 'pglite',
    port: 0,
  },
];

/** Add Connection (a guided flow that writes `liveSchema.connections`) and Set Password. */
export function registerConnectionCommands(ctx: Ctx): void {
  registerCommands(ctx, {
    [Command.addConnection]: { title: 'Add Connection', run: () => addConnection(ctx) },
    [Command.setPassword]: { title: 'Set Password', run: (node) => setPassword(ctx, node) },
  });
}

async function addConnection(ctx: Ctx): Promise<void> {
  const choice = await vscode.window.showQuickPick(DRIVER_CHOICES, {
    title: 'Add Connection (1/2): where does the schema come from?',
    ignoreFocusOut: true,
  });
  if (!choice) return;
  const config = vscode.workspace.getConfiguration(Setting.section);
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>(Setting.connections);
  const existing =
    (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const taken = new Set(existing.map((c) => (c as { name?: unknown }).name).filter((n) => typeof n === 'string'));
  const ask = (prompt: string, value: string, validate?: (v: string) => string | undefined) =>
    vscode.window.showInputBox({
      title: `Add Connection (2/2): ${choice.label}`,
      prompt,
      value,
      ignoreFocusOut: true,
      validateInput: validate,
    });

  let entry: Record<string, string | number | string[]>;
  let password: string | undefined;
  if (choice.driver === 'pglite') {
    const files = await ask(
      'Schema files, applied in order (comma-separated globs)',
      'schema.sql, db/**/*.sql, migrations/**/*.sql',
    );
    if (files === undefined) return;
    entry = { driver: 'pglite', schemaFiles: splitList(files) };
  } else {
    const host = await ask('Host', 'localhost', (v) => (v.trim() ? undefined : 'Enter a host name or address'));
    if (host === undefined) return;
    const port = await ask('Port', String(choice.port), (v) =>
      /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'Enter a port number 1–65535',
    );
    if (port === undefined) return;
    const database = await ask('Database', '', (v) => (v.trim() ? undefined : 'Enter the database name'));
    if (database === undefined) return;
    const user = await ask('User', choice.driver === 'postgres' ? 'postgres' : 'root');
    if (user === undefined) return;
    password = await vscode.window.showInputBox({
      title: `Add Connection (2/2): ${choice.label}`,
      prompt: 'Password (kept in VS Code secret storage, never in settings; leave empty for none)',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return;
    entry = {
      driver: choice.driver,
      host: host.trim(),
      port: Number(port),
      database: database.trim(),
      user: user.trim(),
    };
  }
  const suggested = uniqueName(typeof entry.database === 'string' ? entry.database : 'embedded', taken);
  const name = await ask('Connection name', suggested, (v) =>
    !v.trim() ? 'Enter a name' : taken.has(v.trim()) ? `A connection is already named "${v.trim()}"` : undefined,
  );
  if (name === undefined) return;
  // The password goes in first, so the server finds it when the new settings make it connect.
  if (password && choice.driver !== 'pglite')
    await ctx.passwords.set(
      {
        driver: choice.driver,
        host: String(entry.host),
        port: Number(entry.port),
        user: String(entry.user),
        database: String(entry.database),
      },
      password,
    );
  await config.update(Setting.connections, [...existing, { name: name.trim(), ...entry }], target);
  void vscode.window.showInformationMessage(`Live Schema: connection "${name.trim()}" added.`);
}

async function setPassword(ctx: Ctx, node: unknown): Promise<void> {
  const connection = await pickConnection(ctx, node, 'The connection whose password to set', (d) => d !== 'pglite');
  if (!connection) return;
  const target = ctx.connections.find((c) => c.name === connection)?.target;
  if (!target) {
    void vscode.window.showWarningMessage(
      `Live Schema: "${connection}" is not a PostgreSQL or MySQL connection the server knows; nothing to set.`,
    );
    return;
  }
  const password = await vscode.window.showInputBox({
    title: `Set Password: ${connection}`,
    prompt: 'Password (kept in VS Code secret storage, never in settings; leave empty to remove it)',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return;
  if (password === '') await ctx.passwords.delete(target);
  else await ctx.passwords.set(target, password);
  void vscode.window.showInformationMessage(
    password === ''
      ? `Live Schema: password of "${connection}" removed.`
      : `Live Schema: password of "${connection}" stored.`,
  );
  // Reconnect with the new password; the server asks for it again.
  const statuses = await ctx.client?.sendRequest(RefreshSchema.type, { connection });
  if (statuses) ctx.setStatuses(statuses.connections);
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function uniqueName(base: string, taken: Set<unknown>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
