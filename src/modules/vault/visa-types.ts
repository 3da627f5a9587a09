// The kinds of visa a `travel` item's `visa_type` names (GET /api/visa-types). The keys are the
// options of that select field in categories.ts, so the two cannot disagree.

export const VISA_TYPES = [
  { key: 'tourist', label: 'Tourist' },
  { key: 'business', label: 'Business' },
  { key: 'student', label: 'Student' },
  { key: 'work', label: 'Work' },
  { key: 'transit', label: 'Transit' },
  { key: 'residence', label: 'Residence' },
  { key: 'family', label: 'Family reunion' },
  { key: 'working_holiday', label: 'Working holiday' },
  { key: 'medical', label: 'Medical treatment' },
  { key: 'diplomatic', label: 'Diplomatic or official' },
] as const;

export const VISA_TYPE_KEYS = VISA_TYPES.map((type) => type.key);
