import { z } from 'zod';
import { named } from './registry.js';

/** RFC 9457 problem details, as every error answer carries them. */
export const ProblemSchema = named(
  'Problem',
  z.object({
    type: z.string().describe('A URN naming the problem: urn:journey-orchestrator:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable, SCREAMING_SNAKE: a domain error code or an HTTP one'),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ in: z.string(), path: z.string(), message: z.string() }))
      .optional()
      .describe('VALIDATION_FAILED: each failing field (path is a JSON Pointer)'),
    results: z.array(z.unknown()).optional().describe('EXIT_CRITERIA_NOT_MET: the failing results'),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
);

/** An OpenAPI response of problem+json for each status given. */
export function problemResponses<S extends number>(
  ...statuses: S[]
): Record<
  S,
  { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: `Problem (${status})`,
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  ) as Record<
    S,
    {
      description: string;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  >;
}
