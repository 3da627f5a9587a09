import countries from 'i18n-iso-countries/index.js';
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

// ISO 3166-1 alpha-2 codes and their English names from i18n-iso-countries (its index without
// the node entry, which would load every one of its ~80 languages). Only English is served.
countries.registerLocale(english);

/** `{code, name}` for every country, by name (as a person scans a list). */
export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = Object.entries(countries.getNames('en', { select: 'official' }))
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

export const COUNTRY_CODES: readonly string[] = COUNTRIES.map((country) => country.code).sort();
