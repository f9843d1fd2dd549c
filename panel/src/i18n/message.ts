/** A message is a template, or plural forms chosen with Intl.PluralRules ("other" is required). */
export type Message = string | { readonly one?: string; readonly other: string };
