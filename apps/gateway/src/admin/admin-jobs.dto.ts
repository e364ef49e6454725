import { z } from 'zod';

/** `GET /v1/admin/jobs/failed?queue=&limit=` */
export const failedJobsQuerySchema = z
  .object({
    queue: z.string().optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/)
      .optional(),
  })
  .strict();
