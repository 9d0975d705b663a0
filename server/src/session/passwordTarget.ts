import type { ConnectionSettings } from '../config/connectionSettings';
import type { PasswordTarget } from '../protocol/customMessages';

/** What a connection's password authenticates to; null for sources that never take one. */
export function passwordTarget(s: ConnectionSettings): PasswordTarget | null {
  if (s.driver !== 'postgres' && s.driver !== 'mysql') return null;
  return { driver: s.driver, host: s.host, port: s.port, user: s.user, database: s.database };
}
