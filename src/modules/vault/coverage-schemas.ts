import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text, Uuid } from '../../platform/http/schemas.ts';
import { Money, VaultDate } from './field-types.ts';

// Coverage rows and plan limits of insurance items (API-VAULT.md "Coverage").

export const CoverageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    limit: Money.nullable(),
    deductible: Money.nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Coverage' });

const coverageFields = {
  name: text(200, 1),
  limit: Money.nullable(),
  deductible: Money.nullable(),
  notes: text(10000).nullable(),
};
export const CreateCoverageBody = z.strictObject(coverageFields).partial().required({ name: true });
export const UpdateCoverageBody = z.strictObject(coverageFields).partial();
export type CreateCoverage = z.output<typeof CreateCoverageBody>;
export type UpdateCoverage = z.output<typeof UpdateCoverageBody>;
export const CoverageListQuery = listQuery(['name', 'created_at'], 'name', {});
export type CoverageListParams = z.output<typeof CoverageListQuery>;

export const LIMIT_KINDS = ['annual_max', 'out_of_pocket_max', 'per_incident', 'lifetime_max'] as const;

export const CoverageLimitSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(LIMIT_KINDS),
    amount: Money,
    used: Money.nullable().meta({ description: 'In the currency of amount' }),
    period_start: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'CoverageLimit' });

const SAME_CURRENCY = 'used must be in the currency of amount';

/** `used` in another currency than `amount`: the issue, or none. */
export function currencyIssues(amount: { currency: string } | undefined, used: { currency: string } | null | undefined) {
  if (!amount || !used || used.currency === amount.currency) return [];
  return [{ path: 'used.currency', message: SAME_CURRENCY }];
}

const limitFields = {
  kind: z.enum(LIMIT_KINDS),
  amount: Money,
  used: Money.nullable(),
  period_start: VaultDate.nullable(),
};
export const CreateLimitBody = z
  .strictObject(limitFields)
  .partial()
  .required({ kind: true, amount: true })
  .superRefine((value, ctx) => {
    for (const issue of currencyIssues(value.amount, value.used)) ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  });
export const UpdateLimitBody = z.strictObject(limitFields).partial();
export type CreateLimit = z.output<typeof CreateLimitBody>;
export type UpdateLimit = z.output<typeof UpdateLimitBody>;
export const LimitListQuery = listQuery(['created_at', 'kind'], 'created_at', { kind: z.enum(LIMIT_KINDS).optional() });
export type LimitListParams = z.output<typeof LimitListQuery>;

export const CoverageSummarySchema = z.object({ rows: z.array(CoverageSchema), limits: z.array(CoverageLimitSchema) });

export const CoverageParams = z.strictObject({ hid: Uuid, id: Uuid, coverage_id: Uuid });
export const LimitParams = z.strictObject({ hid: Uuid, id: Uuid, limit_id: Uuid });
