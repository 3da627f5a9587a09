import type { Kysely } from 'kysely';
import { auditRecordChanges } from '../../platform/audit/record-audit.ts';
import { registerScopedCrudRoutes } from '../../platform/crud/crud-routes.ts';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, invalidField, InvalidInputError } from '../../platform/http/errors.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { type HouseholdAccess, householdScope } from '../households/index.ts';
import { checkContactValue, countItemsReferring } from '../vault/index.ts';
import { deleteHouseholdPerson, findHouseholdPerson, insertHouseholdPerson, isMember, listHouseholdPeople, updateHouseholdPerson } from './people-queries.ts';
import { CreateHouseholdPersonBody, HouseholdPersonListQuery, HouseholdPersonSchema, UpdateHouseholdPersonBody } from './people-schemas.ts';
import { deleteProvider, findProvider, insertProvider, listProviders, updateProvider } from './provider-queries.ts';
import { CreateProviderBody, ProviderListQuery, ProviderSchema, UpdateProviderBody } from './provider-schemas.ts';
import { deleteSavedContact, findSavedContact, insertSavedContact, listSavedContacts, updateSavedContact } from './saved-contact-queries.ts';
import { CreateSavedContactBody, SavedContactListQuery, SavedContactSchema, UpdateSavedContactBody } from './saved-contact-schemas.ts';
import { CreateVehicleBody, UpdateVehicleBody, VehicleListQuery, VehicleSchema } from './vehicle-schemas.ts';
import { deleteVehicle, findVehicle, insertVehicle, listVehicles, updateVehicle } from './vehicle-queries.ts';

/** A record that items still name cannot be deleted: 409 saying how many. */
function stillReferred(kind: 'person_id' | 'vehicle_id' | 'provider_id', word: string) {
  return async (db: Kysely<DB>, access: HouseholdAccess, current: { id: string }) => {
    const count = await countItemsReferring(db, access.householdId, kind, current.id);
    if (count > 0) throw new ConflictError(`${count} ${count === 1 ? 'item refers' : 'items refer'} to this ${word}; change or delete ${count === 1 ? 'it' : 'them'} first`);
  };
}

/** A person's `user_id` is a member of the same household (else 400 naming it). */
async function checkMember(db: Kysely<DB>, access: HouseholdAccess, userId: string | null | undefined) {
  if (userId && !(await isMember(db, access.householdId, userId))) throw invalidField('user_id', 'Not a member of this household');
}


/** People, vehicles, providers and saved contacts of a household: what its items refer to. */
const householdRecordRoutes: ModuleRoutes = async (app) => {
  await app.register(async (people) =>
    registerScopedCrudRoutes(
      people,
      {
        name: 'Person',
        tag: 'household people',
        schemas: { entity: HouseholdPersonSchema, create: CreateHouseholdPersonBody, update: UpdateHouseholdPersonBody, list: HouseholdPersonListQuery },
        list: listHouseholdPeople,
        find: findHouseholdPerson,
        insert: insertHouseholdPerson,
        update: updateHouseholdPerson,
        remove: deleteHouseholdPerson,
        checkCreate: (db, access, values) => checkMember(db, access, values.user_id),
        checkUpdate: (db, access, _current, changes) => checkMember(db, access, changes.user_id),
        checkDelete: stillReferred('person_id', 'person'),
        onChange: auditRecordChanges('person', (row) => ({ name: row.name })),
      },
      householdScope,
    ),
    { prefix: '/:hid/people' },
  );

  await app.register(async (vehicles) =>
    registerScopedCrudRoutes(
      vehicles,
      {
        name: 'Vehicle',
        tag: 'household vehicles',
        schemas: { entity: VehicleSchema, create: CreateVehicleBody, update: UpdateVehicleBody, list: VehicleListQuery },
        list: listVehicles,
        find: findVehicle,
        insert: insertVehicle,
        update: updateVehicle,
        remove: deleteVehicle,
        checkDelete: stillReferred('vehicle_id', 'vehicle'),
        onChange: auditRecordChanges('vehicle', (row) => ({ name: row.name })),
      },
      householdScope,
    ),
    { prefix: '/:hid/vehicles' },
  );

  await app.register(async (providers) =>
    registerScopedCrudRoutes(
      providers,
      {
        name: 'Provider',
        tag: 'household providers',
        schemas: { entity: ProviderSchema, create: CreateProviderBody, update: UpdateProviderBody, list: ProviderListQuery },
        list: listProviders,
        find: findProvider,
        insert: insertProvider,
        update: updateProvider,
        remove: deleteProvider,
        checkDelete: stillReferred('provider_id', 'provider'),
        onChange: auditRecordChanges('provider', (row) => ({ name: row.name })),
      },
      householdScope,
    ),
    { prefix: '/:hid/providers' },
  );

  await app.register(async (saved) =>
    registerScopedCrudRoutes(
      saved,
      {
        name: 'Saved contact',
        tag: 'household saved contacts',
        schemas: { entity: SavedContactSchema, create: CreateSavedContactBody, update: UpdateSavedContactBody, list: SavedContactListQuery },
        list: listSavedContacts,
        find: findSavedContact,
        insert: insertSavedContact,
        update: updateSavedContact,
        remove: deleteSavedContact,
        // The value must fit the kind it has or will have (checked after the household is resolved).
        checkCreate: async (_db, _access, values) => {
          const { issues } = checkContactValue(values.kind, values.value);
          if (issues.length > 0) throw new InvalidInputError(issues);
        },
        checkUpdate: async (_db, _access, current, changes) => {
          if (changes.kind === undefined && changes.value === undefined) return;
          const { issues } = checkContactValue(changes.kind ?? current.kind, changes.value ?? current.value);
          if (issues.length > 0) throw new InvalidInputError(issues);
        },
        onChange: auditRecordChanges('saved_contact', (row) => ({ name: row.name })),
      },
      householdScope,
    ),
    { prefix: '/:hid/saved-contacts' },
  );
};

export default householdRecordRoutes;
