export {
  createLivePlatformClient,
  authMiddleware,
  type LivePlatformClient,
  type LivePlatformClientOptions,
  type TokenSource,
} from './client/index.js';
export type { paths, components, operations } from '../generated/schema.js';
export type { OperationId } from '../generated/operation-ids.js';
export type * from './types.js';
