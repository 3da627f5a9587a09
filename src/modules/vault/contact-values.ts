import { z } from 'zod';
import type { FieldIssue } from '../../platform/http/errors.ts';
import { Email } from '../../platform/http/schemas.ts';
import { Phone, WebUrl } from './field-types.ts';

// A contact's value by its kind, as the field types check phones, emails and URLs; an address is
// free text. Shared by contacts on items and saved contacts (household-records).

export const CONTACT_KINDS = ['phone', 'email', 'url', 'address'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const ContactKindSchema = z.enum(CONTACT_KINDS);

const VALUE_SCHEMAS: Record<ContactKind, z.ZodType<string>> = {
  phone: Phone,
  email: Email,
  url: WebUrl,
  address: z.string().min(1).max(1000),
};

/** The value as stored (an email trimmed), or the issues naming `path`. */
export function checkContactValue(kind: ContactKind, value: string, path = 'value'): { value: string; issues: FieldIssue[] } {
  const parsed = VALUE_SCHEMAS[kind].safeParse(value);
  if (parsed.success) return { value: parsed.data, issues: [] };
  return { value, issues: parsed.error.issues.map((issue) => ({ path, message: `${issue.message} (kind ${kind})` })) };
}

/** A contact value's schema before its kind is known: any of the kinds' (checked again by kind). */
export const ContactValue = z.string().min(1).max(2000);
