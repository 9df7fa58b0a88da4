import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Where `npm run build` puts the dashboard (src/web built by Vite). The same path from
 * src/http (tsx) and from dist/http (the build): both are two levels below the package root.
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * What the dashboard's pages may load: only this server's own scripts, styles and API (no CDN,
 * no inline script), and no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built dashboard at `/` (index.html) and its files, without a token: the pages hold
 * no data, they ask the API with the token the user signs in with. One route per file found at
 * start (`wildcard: false`), so every other path still reaches the API's 404 problem. Vite's
 * hashed files under assets/ are cached for a year; everything else is revalidated.
 * Returns false, registering nothing, when `root` holds no index.html (not built).
 */
export async function registerWebAssets(app: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) {
    return false;
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // Swagger UI decorates the reply with its own copy of this plugin.
      decorateReply: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        const hashed = path.startsWith(join(root, 'assets'));
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
        if (path.endsWith('.html')) {
          reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
          reply.header('referrer-policy', 'no-referrer');
        }
      },
    });
  });
  return true;
}
