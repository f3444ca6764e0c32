export {
  createLivePlatformHttpClient as createLivePlatformClient,
  normalizeBaseUrl,
  type LivePlatformClientOptions,
  type LivePlatformHttpClient as LivePlatformClient,
} from './createClient.js';
export { authMiddleware, type TokenSource } from './auth.js';
