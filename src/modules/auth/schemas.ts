import { z } from 'zod';
import { Email, Password, text } from '../../platform/http/schemas.ts';

export const UserSchema = z
  .object({ id: z.uuid(), email: z.string(), display_name: z.string(), created_at: z.date() })
  .meta({ id: 'User' });

export const UserResponse = z.object({ user: UserSchema });

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  display_name: text(100, 1).optional(),
});

export const LoginBody = z.strictObject({
  // Any text (an unknown email is a 401 like a wrong password), but no control characters.
  email: text(254),
  password: z.string().max(200),
});

export const StatusResponse = z.object({ authenticated: z.boolean(), user: UserSchema.nullable() });
