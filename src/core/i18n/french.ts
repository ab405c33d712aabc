/**
 * French elision before an interpolated name: "de Acme" → "d’Acme", "que Idéal" → "qu’Idéal",
 * "le Umbrella" → "l’Umbrella". Catalogs cannot write it, since the name is only known at run time.
 * Only a word right before an interpolated value is touched, so the catalog's own text (and any
 * text that merely contains the name) is left as written. A name starting with "h" is left alone:
 * whether its h is mute ("d’Hermès") or aspirated ("de Hachette") cannot be told from its spelling,
 * and a wrong elision reads worse than none.
 */
const ELIDING = /(^|[\s(«\u00a0\u202f])(de|De|que|Que|le|Le|la|La|jusque|lorsque|puisque) $/;
const STARTS_WITH_VOWEL = /^[aeiouyàâäéèêëîïôöùûüœæ]/i;

const elided = (word: string) => `${word.slice(0, -1)}’`;

export function elideBeforeValues(text: string, vars: Record<string, unknown>): string {
  const names = new Set(
    Object.values(vars).filter((v): v is string => typeof v === 'string' && STARTS_WITH_VOWEL.test(v)),
  );
  let out = text;
  for (const name of names) {
    let from = 0;
    for (let at = out.indexOf(name, from); at !== -1; at = out.indexOf(name, from)) {
      const before = out.slice(Math.max(0, at - 12), at);
      const match = ELIDING.exec(before);
      if (match) {
        const word = match[2] as string;
        const start = at - word.length - 1;
        out = `${out.slice(0, start)}${elided(word)}${out.slice(at)}`;
        from = start + word.length + name.length;
      } else {
        from = at + name.length;
      }
    }
  }
  return out;
}
