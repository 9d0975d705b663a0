import type * as vscode from 'vscode';
import type { PasswordTarget } from '../../server/src/protocol/customMessages';
import { passwordSecretKey } from './ids';

/**
 * Connection passwords in VS Code's SecretStorage (the OS keychain on desktop), keyed by what they
 * authenticate to. They are handed to the language server when it asks (`liveSchema/getPassword`)
 * and are never written to settings, logs or the output channel.
 */
export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(target: PasswordTarget): Promise<string | undefined> {
    return this.secrets.get(passwordSecretKey(target));
  }

  async set(target: PasswordTarget, password: string): Promise<void> {
    await this.secrets.store(passwordSecretKey(target), password);
  }

  async delete(target: PasswordTarget): Promise<void> {
    await this.secrets.delete(passwordSecretKey(target));
  }
}
