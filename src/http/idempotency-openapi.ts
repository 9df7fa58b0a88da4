import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key.js';

type JsonObject = { [key: string]: unknown };

/** The `Idempotency-Key` request header as an OpenAPI parameter (see idempotency.ts). */
const IDEMPOTENCY_KEY_PARAMETER = {
  in: 'header',
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes the POST safe to repeat: a repeat with the same key and body answers the first answer again (with `Idempotency-Replayed: true`); the key with another request is 422 IDEMPOTENCY_KEY_REUSED; a repeat while the first is still answered is 409 IDEMPOTENCY_KEY_IN_FLIGHT. Keys are per token name and remembered for 24 h.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern: '^[\\x20-\\x7E]+$',
  },
} as const;

/**
 * Adds the Idempotency-Key header to every POST of the generated document. Done on the
 * document rather than in each route's schema: a header schema would have Fastify validate
 * (and replace) every request's headers.
 */
export function withIdempotencyKeyParameter<T>(document: T): T {
  const paths = ((document as JsonObject).paths ?? {}) as Record<string, JsonObject | undefined>;
  for (const methods of Object.values(paths)) {
    const post = methods?.post as JsonObject | undefined;
    if (post !== undefined) {
      const parameters = Array.isArray(post.parameters) ? (post.parameters as unknown[]) : [];
      post.parameters = [...parameters, IDEMPOTENCY_KEY_PARAMETER];
    }
  }
  return document;
}
