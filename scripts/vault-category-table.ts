// The README's table of vault categories, rendered from the definitions
// (src/modules/vault/categories.ts). tests/vault-categories.test.ts fails when the README's copy
// differs; print a fresh one to paste between the README's markers with:
//
//   node --import tsx scripts/vault-category-table.ts
import { pathToFileURL } from 'node:url';
import { CATEGORIES, type FieldDefinition } from '../src/modules/vault/categories.ts';

function describe(field: FieldDefinition): string {
  const notes = [field.type === 'select' ? `select ${(field.options ?? []).map((option) => `\`${option}\``).join('/')}` : field.type];
  if (field.sensitive) notes.push('sensitive');
  if (field.reminder_days) notes.push(`reminders ${field.reminder_days.join(', ')}`);
  const key = field.required ? `**\`${field.key}\`**` : `\`${field.key}\``;
  return `${key} (${notes.join(', ')})`;
}

export function renderCategoryTable(): string {
  const rows = CATEGORIES.flatMap((category) => {
    // Subcategories with the same fields share a row, as the contract's table does.
    const groups = new Map<string, string[]>();
    for (const sub of category.subcategories) {
      const fields = sub.fields.map(describe).join(', ') || '—';
      groups.set(fields, [...(groups.get(fields) ?? []), `\`${sub.key}\``]);
    }
    return [...groups].map(([fields, keys]) => `| \`${category.key}\` / ${keys.join(', ')} | ${fields} |`);
  });
  return ['| category / subcategory | fields (required in bold) |', '|---|---|', ...rows].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(renderCategoryTable());
