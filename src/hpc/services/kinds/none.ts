/**
 * `none`: no service and no client (the default of both groups). A pipeline without services
 * never reaches these; `service:deploy` refuses them with a message saying what to choose.
 */
import { z } from 'zod';
import { closedObject } from '../../../engine/config/closed-object.js';

export const NoServiceSchema = closedObject({ kind: z.literal('none') });
export const NoClientSchema = closedObject({ kind: z.literal('none') });
