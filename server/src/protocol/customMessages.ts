import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * Every custom message between the VS Code client and the language server, in one place both
 * sides import. Each doc comment names the sender. Payloads are plain JSON.
 */

export type ConnectionStateName = 'connecting' | 'connected' | 'stale' | 'offline' | 'error';

export interface ConnectionStatus {
  name: string;
  driver: string;
  state: ConnectionStateName;
  /** Milliseconds since the snapshot in use was taken, or null when there is none. */
  schemaAgeMs: number | null;
  /** What went wrong and what to do, for `stale`, `offline` and `error`. Never contains a secret. */
  message: string | null;
  tables: number;
  /** What a password of this connection authenticates to; null for sources without one (embedded, snapshot). */
  target: PasswordTarget | null;
}

/** What a password authenticates to: a stored password is keyed by all of it, never by a name alone. */
export interface PasswordTarget {
  driver: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

/**
 * Sent by the server: it needs the password of a connection. The client answers from SecretStorage
 * with the password stored for exactly this target, so a re-pointed connection is asked again.
 */
export namespace GetPassword {
  export const method = 'liveSchema/getPassword';
  export interface Params {
    connection: string;
    target: PasswordTarget;
  }
  export interface Result {
    password: string | null;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the server whenever a connection's state or schema age changes. */
export namespace ConnectionStatusChanged {
  export const method = 'liveSchema/connectionStatus';
  export interface Params {
    connections: ConnectionStatus[];
  }
  export const type = new NotificationType<Params>(method);
}

/** Sent by the server when polling found that a connection's schema changed (a migration ran, a teammate added a column). */
/** A place in the workspace that named an element the schema no longer has. */
export interface BrokenReference {
  uri: string;
  range: TextRange;
  /** The element as it was named, e.g. `public.orders.total_cents`. */
  name: string;
}

/** How many broken references a schema-change notification lists (the total is always given). */
export const MAX_BROKEN_REFERENCES = 500;

export namespace SchemaChanged {
  export const method = 'liveSchema/schemaChanged';
  export interface Params {
    connection: string;
    /** One line per change, e.g. `column shop.orders.total_cents: type integer → bigint`. */
    changes: string[];
    /**
     * The workspace's references to what was dropped or renamed, by their old names: `total`
     * of them, the first `MAX_BROKEN_REFERENCES` listed. Null while the workspace is not indexed.
     */
    broken: { total: number; references: BrokenReference[] } | null;
  }
  export const type = new NotificationType<Params>(method);
}

/** Sent by the client: the current state of every connection (status bar, explorer roots). */
export namespace GetConnectionStatus {
  export const method = 'liveSchema/getConnectionStatus';
  export const type = new RequestType0<ConnectionStatusChanged.Params, void>(method);
}

export interface SchemaTreeColumn {
  name: string;
  type: string;
  nullable: boolean;
  primaryKey: boolean;
  comment: string | null;
}

export interface SchemaTreeRelation {
  name: string;
  kind: string;
  comment: string | null;
  columns: SchemaTreeColumn[];
  foreignKeys: string[];
  indexes: string[];
}

export interface SchemaTreeSchema {
  name: string;
  relations: SchemaTreeRelation[];
}

/** Sent by the client's Schema Explorer: the schema of one connection, ready to show as a tree. */
export namespace GetSchemaTree {
  export const method = 'liveSchema/schemaTree';
  export interface Params {
    connection: string;
  }
  export interface Result {
    status: ConnectionStatus;
    schemas: SchemaTreeSchema[];
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Sent by the client: re-discover now (all connections when `connection` is absent). */
export namespace RefreshSchema {
  export const method = 'liveSchema/refreshSchema';
  export interface Params {
    connection?: string;
  }
  export const type = new RequestType<Params, ConnectionStatusChanged.Params, void>(method);
}

/** Sent by the client: the text of a read-only virtual document (`live-schema-ddl:` URIs for go to definition). */
export namespace GetVirtualDocument {
  export const method = 'liveSchema/virtualDocument';
  export interface Params {
    uri: string;
  }
  export const type = new RequestType<Params, string | null, void>(method);
}

// ---- Requests behind the client's commands and its Static Dependencies and Migrations views.
// Until the server handles one, it answers MethodNotFound and the client says the feature is not
// available yet.

/** Cache figures of one connection (Show Cache Statistics). */
export interface CacheStatistics {
  connection: string;
  hits: number;
  misses: number;
  refreshes: number;
  /** Duration of the last full discovery, or null before the first one. */
  lastRefreshMs: number | null;
  /** Size of the snapshot as persisted, in bytes. */
  snapshotBytes: number;
  /** ISO time the snapshot in use was taken, or null. */
  takenAt: string | null;
}

/** Sent by the client: cache statistics of every connection. */
export namespace GetCacheStatistics {
  export const method = 'liveSchema/cacheStatistics';
  export interface Result {
    connections: CacheStatistics[];
  }
  export const type = new RequestType0<Result, void>(method);
}

/** Sent by the client: drop the in-memory and on-disk snapshots and discover again (all when `connection` is absent). */
export namespace ClearCache {
  export const method = 'liveSchema/clearCache';
  export interface Params {
    connection?: string;
  }
  export const type = new RequestType<Params, ConnectionStatusChanged.Params, void>(method);
}

/** Sent by the client: write a connection's snapshot to a file (default `.live-schema/schema.json`). */
export namespace ExportSnapshot {
  export const method = 'liveSchema/exportSnapshot';
  export interface Params {
    connection: string;
    /** Target file URI; absent means the default location in the connection's workspace folder. */
    uri?: string;
  }
  export interface Result {
    uri: string;
    relations: number;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the client: index the whole workspace now (the server reports progress with the work-done token). */
export namespace ScanWorkspace {
  export const method = 'liveSchema/scanWorkspace';
  export interface Result {
    files: number;
    dependencies: number;
  }
  export const type = new RequestType0<Result, void>(method);
}

/** A zero-based LSP range, as plain JSON. */
export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** One static dependency: hard-coded name, static mapping or SQL template found in code. */
export interface StaticDependency {
  /** Finding code: `hardcoded-table`, `hardcoded-column`, `static-mapping`, `sql-template`. */
  code: string;
  message: string;
  uri: string;
  range: TextRange;
  /** Whether a migration code action exists for it. */
  migratable: boolean;
}

/** Sent by the client's Static Dependencies view: every static dependency of the workspace index. */
export namespace GetStaticDependencies {
  export const method = 'liveSchema/staticDependencies';
  export interface Result {
    dependencies: StaticDependency[];
  }
  export const type = new RequestType0<Result, void>(method);
}

/** Sent by the server when the workspace index changed: the client refreshes its Static Dependencies view. */
export namespace StaticDependenciesChanged {
  export const method = 'liveSchema/staticDependenciesChanged';
  export const type = new NotificationType0(method);
}

/** One applied migration in the journal. */
export interface MigrationEntry {
  id: string;
  /** ISO time it was applied. */
  appliedAt: string;
  /** What was migrated, e.g. `3 SQL templates → Kysely in src/orders.ts`. */
  description: string;
  files: { uri: string; edits: number }[];
  /** A migration, or the rollback of one (which can itself be rolled back). */
  kind: 'migration' | 'rollback';
  /** `rolled back` once a later rollback undid it. */
  state: 'applied' | 'rolled back';
}

/** Sent by the client's Migrations view: the journal, newest first. */
export namespace GetMigrations {
  export const method = 'liveSchema/migrations';
  export interface Result {
    entries: MigrationEntry[];
  }
  export const type = new RequestType0<Result, void>(method);
}

/** Sent by the server when the journal changed (applied or rolled back): the client refreshes its Migrations view. */
export namespace MigrationsChanged {
  export const method = 'liveSchema/migrationsChanged';
  export const type = new NotificationType0(method);
}

/** Sent by the client: the original and migrated text of a journal entry, for a diff. */
export namespace GetMigrationDiff {
  export const method = 'liveSchema/migrationDiff';
  export interface Params {
    id: string;
    uri: string;
  }
  export interface Result {
    original: string;
    migrated: string;
  }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/**
 * Sent by the client: migrate the static code of a file, folder or the whole workspace to
 * builder calls. The server journals the migration, then applies it with `workspace/applyEdit`
 * (annotated as needing confirmation when `preview` is set, so VS Code shows its refactor preview).
 */
export namespace Migrate {
  export const method = 'liveSchema/migrate';
  export interface Params {
    /** File or folder URIs; empty means the whole workspace. */
    uris: string[];
    preview: boolean;
  }
  export interface Result {
    migrated: number;
    /** What could not be converted faithfully, with the reason. */
    refused: { uri: string; line: number; reason: string }[];
    /** Why nothing was applied although something was planned (cancelled preview, journal problem). */
    failure?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the client: roll back a journal entry (the newest when `id` is absent), restoring the original text. */
export namespace RollBackMigration {
  export const method = 'liveSchema/rollBackMigration';
  export interface Params {
    id?: string;
  }
  export interface Result {
    /** The entry rolled back, or null when the journal is empty. */
    id: string | null;
    restoredFiles: string[];
    /** Ranges edited since the migration: reported, never overwritten (then nothing is restored). */
    conflicts: { uri: string; line: number; message: string }[];
    /** Why nothing was rolled back (a corrupt journal entry, an unknown id, the editor refused). */
    failure?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the client: write the schema module (Kysely `DB` interface and name constants, or SQLAlchemy tables). */
export namespace GenerateSchemaModule {
  export const method = 'liveSchema/generateSchemaModule';
  export interface Params {
    connection: string;
    language: 'typescript' | 'python';
  }
  export interface Result {
    uri: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** One answer to Find Schema Element. */
export interface SchemaElementMatch {
  connection: string;
  schema: string;
  relation: string;
  /** Null when the match is the relation itself. */
  column: string | null;
  /** Why it matched: the name, a comment, or a configured synonym. */
  reason: string;
  /** 0 (best) … 1, as fuse.js scores. */
  score: number;
}

/** Sent by the client: business term → tables and columns, fuzzy over names, comments and synonyms. */
export namespace FindSchemaElement {
  export const method = 'liveSchema/findSchemaElement';
  export interface Params {
    query: string;
  }
  export interface Result {
    matches: SchemaElementMatch[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Sent by the client's Schema Explorer: where a table or column is used in the workspace (from the index). */
export namespace FindSchemaReferences {
  export const method = 'liveSchema/schemaReferences';
  export interface Params {
    connection: string;
    schema: string;
    relation: string;
    column?: string;
  }
  export interface Result {
    locations: { uri: string; range: TextRange }[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}
