import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

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
}

/** Sent by the server: it needs the password of a connection. The client answers from SecretStorage. */
export namespace GetPassword {
  export const method = 'liveSchema/getPassword';
  export interface Params {
    connection: string;
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
