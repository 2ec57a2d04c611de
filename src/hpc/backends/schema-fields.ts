/** Field schemas the backends' config groups share. */
import { z } from 'zod';

export const count = z.number().int().nonnegative();
export const positive = z.number().positive();
export const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const opt = <T extends z.ZodType>(t: T) => z.exactOptional(t);
export const subnet = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'a CIDR subnet like 10.77.0.0/24');
