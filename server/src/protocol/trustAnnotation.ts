/**
 * Added by the VS Code client to every `liveSchema` section it sends (`workspace/configuration`):
 * whether the connections came from the user's settings or the workspace's, the variables the
 * user lets workspace settings expand, and whether the workspace is trusted. The client always
 * overwrites the key, so a workspace cannot forge it; without it the server assumes the workspace.
 */
export const TRUST_ANNOTATION_KEY = '$trust';
export interface TrustAnnotation {
  connections: 'user' | 'repository';
  allowEnv: string[];
  workspaceTrusted: boolean;
}
