import { VISA_TYPE_KEYS } from './visa-types.ts';

// What a vault item can be: the one place that says it. Validation of `fields`, their storage
// columns, the OpenAPI description of `fields`, GET /api/categories, and (later) search indexing,
// reminders and encryption all read these definitions, so adding a category or a field is an
// edit here and needs no migration. tests/vault-categories.test.ts checks the definitions
// themselves, and the README's category table against them.

export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'boolean',
  'select',
  'email',
  'phone',
  'url',
  'country',
  'person',
  'vehicle',
  'provider',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types whose value is the id of a household record. */
export const REFERENCE_TYPES = ['person', 'vehicle', 'provider'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

export type FieldDefinition = {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** A select's choices; only on selects. */
  options?: readonly string[];
  /** Stored encrypted, never indexed, never in lists or the audit log; only on text fields. */
  sensitive: boolean;
  /** Days before the date that reminders fall on; only on dates. */
  reminder_days?: readonly number[];
};

export type SubcategoryDefinition = { key: string; label: string; fields: readonly FieldDefinition[] };
export type CategoryDefinition = { key: string; label: string; subcategories: readonly SubcategoryDefinition[] };

type Extra = Partial<Pick<FieldDefinition, 'required' | 'options' | 'sensitive' | 'reminder_days'>>;

function field(key: string, label: string, type: FieldType, extra: Extra = {}): FieldDefinition {
  return { key, label, type, required: extra.required ?? false, sensitive: extra.sensitive ?? false, ...extra };
}

const required = { required: true } as const;

/** Subcategories that share one list of fields (the identity documents, say). */
function alike(subcategories: Array<[string, string]>, fields: readonly FieldDefinition[]): SubcategoryDefinition[] {
  return subcategories.map(([key, label]) => ({ key, label, fields }));
}

const identityFields = [
  field('number', 'Document number', 'text', { required: true, sensitive: true }),
  field('holder', 'Holder', 'person', required),
  field('issuing_country', 'Issuing country', 'country'),
  field('issue_date', 'Issue date', 'date'),
  field('expiry_date', 'Expiry date', 'date', { required: true, reminder_days: [180, 30] }),
];

const insuranceFields = [
  field('policy_number', 'Policy number', 'text', { required: true, sensitive: true }),
  field('provider', 'Insurer', 'provider'),
  field('start_date', 'Start date', 'date'),
  field('renewal_date', 'Renewal date', 'date', { required: true, reminder_days: [30, 7] }),
  field('premium', 'Premium', 'money'),
  field('premium_frequency', 'Premium frequency', 'select', { options: ['monthly', 'quarterly', 'yearly'] }),
];

const travelFields = [
  field('country', 'Country', 'country', required),
  field('visa_type', 'Visa type', 'select', { required: true, options: VISA_TYPE_KEYS }),
  field('holder', 'Holder', 'person'),
  field('entries', 'Entries', 'select', { options: ['single', 'multiple'] }),
  field('valid_from', 'Valid from', 'date'),
  field('valid_until', 'Valid until', 'date', { required: true, reminder_days: [60, 14] }),
  field('number', 'Number', 'text', { sensitive: true }),
];

const vehicleFields = [
  field('vehicle', 'Vehicle', 'vehicle', required),
  field('number', 'Number', 'text'),
  field('expiry_date', 'Expiry date', 'date', { required: true, reminder_days: [30, 7] }),
];

const propertyFields = [
  field('vendor', 'Vendor', 'text'),
  field('purchase_date', 'Purchase date', 'date'),
  field('price', 'Price', 'money'),
  field('warranty_until', 'Warranty until', 'date', { reminder_days: [30] }),
  field('serial_number', 'Serial number', 'text'),
  // Beyond the contract: whom to call when the warranty or the lease needs using.
  field('support_phone', 'Support phone', 'phone'),
  field('support_email', 'Support email', 'email'),
  field('support_url', 'Support website', 'url'),
];

const financeFields = [
  field('institution', 'Institution', 'provider'),
  field('account_number', 'Account number', 'text', { sensitive: true }),
  field('expiry_date', 'Expiry date', 'date', { reminder_days: [30] }),
  field('due_date', 'Due date', 'date', { reminder_days: [14, 3] }),
  // Beyond the contract: whether the due payment is taken automatically.
  field('autopay', 'Paid automatically', 'boolean'),
];

const businessFields = [
  field('number', 'Number', 'text', { sensitive: true }),
  field('authority', 'Authority', 'text'),
  field('due_date', 'Due date', 'date', { required: true, reminder_days: [30, 7] }),
  field('renewal_date', 'Renewal date', 'date', { reminder_days: [30] }),
];

export const CATEGORIES: readonly CategoryDefinition[] = [
  {
    key: 'identity',
    label: 'Identity documents',
    subcategories: alike(
      [
        ['passport', 'Passport'],
        ['national_id', 'National ID card'],
        ['driver_license', "Driver's license"],
      ],
      identityFields,
    ),
  },
  {
    key: 'insurance',
    label: 'Insurance',
    subcategories: [
      ...alike([['health', 'Health']], insuranceFields),
      { key: 'auto', label: 'Auto', fields: [...insuranceFields, field('vehicle', 'Vehicle', 'vehicle')] },
      ...alike(
        [
          ['home', 'Home'],
          ['life', 'Life'],
          ['travel', 'Travel'],
          ['liability', 'Liability'],
        ],
        insuranceFields,
      ),
    ],
  },
  {
    key: 'travel',
    label: 'Travel documents',
    subcategories: alike(
      [
        ['visa', 'Visa'],
        ['residence_permit', 'Residence permit'],
      ],
      travelFields,
    ),
  },
  {
    key: 'vehicle',
    label: 'Vehicle documents',
    subcategories: [
      ...alike([['registration', 'Registration']], vehicleFields),
      // Beyond the contract: the odometer reading the inspection recorded.
      { key: 'inspection', label: 'Inspection', fields: [...vehicleFields, field('odometer', 'Odometer reading', 'number')] },
      ...alike([['loan', 'Loan or lease']], vehicleFields),
    ],
  },
  {
    key: 'property',
    label: 'Property',
    subcategories: alike(
      [
        ['warranty', 'Warranty'],
        ['lease', 'Lease'],
        ['appliance', 'Appliance'],
      ],
      propertyFields,
    ),
  },
  {
    key: 'finance',
    label: 'Finance',
    subcategories: alike(
      [
        ['bank_account', 'Bank account'],
        ['credit_card', 'Credit card'],
        ['loan', 'Loan'],
        ['tax', 'Tax'],
      ],
      financeFields,
    ),
  },
  {
    key: 'business',
    label: 'Business',
    subcategories: alike(
      [
        ['license', 'License'],
        ['registration', 'Registration'],
        ['tax_filing', 'Tax filing'],
        ['contract', 'Contract'],
      ],
      businessFields,
    ),
  },
  {
    // Beyond the contract: vaccination records are a household document with an expiry that
    // matters (travel requirements, boosters).
    key: 'health',
    label: 'Health records',
    subcategories: [
      {
        key: 'vaccination',
        label: 'Vaccination',
        fields: [
          field('holder', 'Vaccinated person', 'person', required),
          field('vaccine', 'Vaccine', 'text', required),
          field('administered_on', 'Administered on', 'date'),
          field('valid_until', 'Valid until / next dose', 'date', { reminder_days: [30, 7] }),
          field('clinic', 'Clinic', 'provider'),
          field('reactions', 'Reactions noted', 'long_text'),
        ],
      },
    ],
  },
  {
    // Beyond the contract: diplomas are asked for with visa and job applications.
    key: 'education',
    label: 'Education',
    subcategories: [
      {
        key: 'diploma',
        label: 'Diploma or certificate',
        fields: [
          field('holder', 'Holder', 'person', required),
          field('institution', 'Institution', 'text'),
          field('awarded_on', 'Awarded on', 'date'),
          field('country', 'Country', 'country'),
        ],
      },
    ],
  },
  { key: 'other', label: 'Other', subcategories: [{ key: 'document', label: 'Document', fields: [] }] },
];

const bySubcategory = new Map(
  CATEGORIES.flatMap((category) => category.subcategories.map((subcategory) => [`${category.key}/${subcategory.key}`, subcategory] as const)),
);

/** The definition of a category/subcategory pair, or undefined when the pair is not defined. */
export function findSubcategory(category: string, subcategory: string): SubcategoryDefinition | undefined {
  return bySubcategory.get(`${category}/${subcategory}`);
}

export const CATEGORY_KEYS = CATEGORIES.map((category) => category.key);
export const SUBCATEGORY_KEYS = [...new Set(CATEGORIES.flatMap((category) => category.subcategories.map((subcategory) => subcategory.key)))].sort();

/** Every date field that produces reminders, as `category/subcategory/field` (what SQL matches). */
export function reminderFieldPaths(): string[] {
  return CATEGORIES.flatMap((category) =>
    category.subcategories.flatMap((subcategory) =>
      subcategory.fields.filter((definition) => definition.reminder_days !== undefined).map((definition) => `${category.key}/${subcategory.key}/${definition.key}`),
    ),
  );
}
