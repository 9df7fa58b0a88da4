import { z } from 'zod';
import { isValidInstant } from '../../domain/index.js';
import { Instant, list, named } from './registry.js';

/** GET /v1/reports/success-metrics/series: its query and its answer. */

export const SeriesQuerySchema = z.strictObject({
  points: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number from 2 to 120')
    .refine((value) => Number(value) >= 2 && Number(value) <= 120, {
      message: 'must be a whole number from 2 to 120',
    })
    .optional()
    .describe('How many equal buckets (2 to 120, default 24)'),
  since: z
    .string()
    .max(40)
    .refine(isValidInstant, { message: 'must be an ISO-8601 instant' })
    .optional()
    .describe("The span's start (default: the first journey's start); it ends now"),
});

const Rate = z.number().nullable().describe('A fraction from 0 to 1; null when nothing counted');

const SeriesBucketSchema = named(
  'SuccessMetricsBucket',
  z.object({
    start: Instant,
    end: Instant,
    journeysStarted: z.number().int(),
    reachedProduction: z.number().int(),
    promotions: z.number().int().describe('Promotions into pilot or production'),
    rollbacks: z.number().int(),
    evaluations: z.number().int(),
    passed: z.number().int(),
    cumulative: z
      .object({
        timeToProductionMedianMs: z.number().nullable(),
        rollbackRate: Rate,
        passRate: Rate,
      })
      .describe("The report's headline numbers as they stood at the bucket's end"),
  }),
);

export const SuccessMetricsSeriesSchema = named(
  'SuccessMetricsSeries',
  z.object({
    generatedAt: Instant,
    from: Instant,
    to: Instant,
    bucketMs: z.number().int(),
    buckets: list(SeriesBucketSchema),
  }),
);
