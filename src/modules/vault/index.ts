// The public face of the vault module: what other modules may use.
// - The category definitions (the one place that says what an item can be) and the field-type
//   schemas, so household records, contacts and saved contacts check values by the same rules.
// - countItemsReferring: how many items name a person, vehicle or provider (their 409 on delete).
// - reminderFieldPaths: the date fields that carry reminders, as category/subcategory/field.
export { CATEGORIES, findSubcategory, reminderFieldPaths, REFERENCE_TYPES } from './categories.ts';
export type { CategoryDefinition, FieldDefinition, FieldType, ReferenceType, SubcategoryDefinition } from './categories.ts';
export { COUNTRIES, COUNTRY_CODES } from './countries.ts';
export { Amount, Country, Currency, Money, OpaqueValue, Phone, VaultDate, WebUrl } from './field-types.ts';
export { checkContactValue, CONTACT_KINDS, ContactKindSchema, ContactValue } from './contact-values.ts';
export type { ContactKind } from './contact-values.ts';
export { countItemsReferring } from './item-queries.ts';
// Items in list form (no sensitive values), for views over the vault (dashboards, upcoming).
export { listItems } from './item-queries.ts';
export type { ItemRow } from './item-queries.ts';
export { presentListItem } from './item-present.ts';
export type { Item } from './item-present.ts';
export { ItemListQuery, ItemSchema } from './item-schemas.ts';
// The household and item a record of an item is addressed under (404 for strangers and other
// households' items, 403 for a viewer's write): what hangs off an item in other modules (reminders).
export { resolveItem } from './item-scope.ts';
export type { ItemOwner } from './coverage-queries.ts';
export { ItemParams } from './item-schemas.ts';
// The household's `enc:` values, for the zero-knowledge key rotation (keys module).
export { listOpaqueValues, rekeyOpaqueValues } from './opaque-values.ts';
export type { OpaqueValueRef, RekeyedValue } from './opaque-values.ts';
