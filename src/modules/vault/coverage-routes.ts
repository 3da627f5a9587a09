import type { z } from 'zod';
import { auditRecordChanges } from '../../platform/audit/record-audit.ts';
import { type CrudScope, registerScopedCrudRoutes } from '../../platform/crud/crud-routes.ts';
import { InvalidInputError } from '../../platform/http/errors.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import {
  deleteCoverage,
  deleteLimit,
  findCoverage,
  findLimit,
  insertCoverage,
  insertLimit,
  type ItemOwner,
  listCoverage,
  listLimits,
  updateCoverage,
  updateLimit,
} from './coverage-queries.ts';
import {
  CoverageLimitSchema,
  CoverageListQuery,
  CoverageParams,
  CoverageSchema,
  CreateCoverageBody,
  CreateLimitBody,
  currencyIssues,
  LimitListQuery,
  LimitParams,
  UpdateCoverageBody,
  UpdateLimitBody,
} from './coverage-schemas.ts';
import { resolveItem } from './item-scope.ts';
import { ItemParams } from './item-schemas.ts';

// Coverage only on insurance items: the scope answers 409 on any other item.

const coverageScope: CrudScope<ItemOwner, z.output<typeof ItemParams>, z.output<typeof CoverageParams>> = {
  parent: 'Item',
  conflicts: true,
  params: ItemParams,
  itemUrl: '/:coverage_id',
  itemParams: CoverageParams,
  itemId: (params) => params.coverage_id,
  owner: (db, userId, params, purpose) => resolveItem(db, userId, params, purpose, true),
};

const limitScope: CrudScope<ItemOwner, z.output<typeof ItemParams>, z.output<typeof LimitParams>> = {
  ...coverageScope,
  itemUrl: '/:limit_id',
  itemParams: LimitParams,
  itemId: (params) => params.limit_id,
};

/** `/api/households/{hid}/items/{id}/coverage`: what an insurance policy covers. */
export const coverageRoutes: ModuleRoutes = async (app) => {
  registerScopedCrudRoutes(
    app,
    {
      name: 'Coverage',
      tag: 'vault coverage',
      schemas: { entity: CoverageSchema, create: CreateCoverageBody, update: UpdateCoverageBody, list: CoverageListQuery },
      list: listCoverage,
      find: findCoverage,
      insert: insertCoverage,
      update: updateCoverage,
      remove: deleteCoverage,
      onChange: auditRecordChanges('coverage', (row) => ({ name: row.name })),
    },
    coverageScope,
  );
};

/** `/api/households/{hid}/items/{id}/coverage/limits`: the plan's limits and what is used of them. */
export const limitRoutes: ModuleRoutes = async (app) => {
  registerScopedCrudRoutes(
    app,
    {
      name: 'Coverage limit',
      tag: 'vault coverage',
      schemas: { entity: CoverageLimitSchema, create: CreateLimitBody, update: UpdateLimitBody, list: LimitListQuery },
      list: listLimits,
      find: findLimit,
      insert: insertLimit,
      update: updateLimit,
      remove: deleteLimit,
      // `used` keeps the limit's currency: a change of either must still agree.
      checkUpdate: async (_db, _owner, current, changes) => {
        const issues = currencyIssues(changes.amount ?? current.amount, changes.used === undefined ? current.used : changes.used);
        if (issues.length > 0) throw new InvalidInputError(issues);
      },
      onChange: auditRecordChanges('coverage_limit', (row) => ({ kind: row.kind })),
    },
    limitScope,
  );
};
