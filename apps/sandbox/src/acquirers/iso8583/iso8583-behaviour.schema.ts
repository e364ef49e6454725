import { z } from 'zod';

/**
 * How the simulated host treats the next messages. `stall`: neither acts nor answers.
 * `drop-reply-after-acting`: acts (authorizes, reverses…) and never answers.
 * `close-after-acting`: acts, then closes the connection instead of answering.
 * `delayMs` holds every answer back; `times` limits the mode to the next N messages.
 */
export const Iso8583BehaviourSchema = z.strictObject({
  mode: z.enum(['normal', 'stall', 'drop-reply-after-acting', 'close-after-acting']).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  times: z.number().int().min(1).nullable().optional(),
});

export type Iso8583Behaviour = Required<z.infer<typeof Iso8583BehaviourSchema>>;

export const NORMAL_BEHAVIOUR: Iso8583Behaviour = { mode: 'normal', delayMs: 0, times: null };
