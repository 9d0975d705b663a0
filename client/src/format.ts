import type { ConnectionStatus } from '../../server/src/protocol/customMessages';

/** "just now", "42 s", "5 min", "3 h", "2 d": a schema age short enough for the status bar. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** "just taken" or "5 min old". */
function schemaAge(ms: number): string {
  const age = formatAge(ms);
  return age === 'just now' ? 'just taken' : `${age} old`;
}

/** A connection's state in words, with the schema age where there is a schema. */
export function describeStatus(status: ConnectionStatus): string {
  const age = status.schemaAgeMs === null ? '' : ` · schema ${schemaAge(status.schemaAgeMs)}`;
  return `${status.state}${age}`;
}

/** Codicon per state, shared by the status bar and the explorer. */
export const STATE_ICON: Record<ConnectionStatus['state'], string> = {
  connecting: 'sync~spin',
  connected: 'database',
  stale: 'history',
  offline: 'debug-disconnect',
  error: 'error',
};
