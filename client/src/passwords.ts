import type * as vscode from 'vscode';
import { passwordSecretKey } from './ids';

/**
 * Connection passwords in VS Code's SecretStorage (the OS keychain on desktop). They are handed to
 * the language server when it asks (`liveSchema/getPassword`) and are never written to settings,
 * logs or the output channel.
 */
export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(connection: string): Promise<string | undefined> {
    return this.secrets.get(passwordSecretKey(connection));
  }

  async set(connection: string, password: string): Promise<void> {
    await this.secrets.store(passwordSecretKey(connection), password);
  }

  async delete(connection: string): Promise<void> {
    await this.secrets.delete(passwordSecretKey(connection));
  }
}
