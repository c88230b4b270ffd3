import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './passwords.js';
import { ROLES } from './roles.js';

export const UsernameSchema = z
  .string()
  .trim()
  .min(2, 'user name must be at least 2 characters')
  .max(60, 'user name must be at most 60 characters')
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'user name may contain letters, digits and _ . @ - only');

export const LoginBodySchema = z.strictObject({
  username: z.string().trim().min(1, 'enter your user name').max(60),
  password: z.string().min(1, 'enter your password').max(MAX_PASSWORD_LENGTH),
});

const StationIdsSchema = z
  .array(z.number().int().positive())
  .max(5000)
  .describe('stations a manager keeps');

export const CreateUserBodySchema = z.strictObject({
  username: UsernameSchema,
  password: z.string().describe(`at least 10 characters`),
  role: z.enum(ROLES),
  stationIds: StationIdsSchema.optional(),
});

export const UpdateUserBodySchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    password: z.string().optional(),
    disabled: z.boolean().optional(),
    stationIds: StationIdsSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one of role, password, disabled, stationIds');

export const ChangePasswordBodySchema = z.strictObject({
  current_password: z.string().min(1, 'enter your current password').max(MAX_PASSWORD_LENGTH),
  new_password: z.string().max(MAX_PASSWORD_LENGTH).describe('at least 10 characters, not easy to guess (checked with zxcvbn)'),
});

export const IdParamSchema = z.coerce.number().int().positive().max(2_147_483_647);
