import { type MailClass, mailClassOf } from './templates.ts';

// Each template's class is declared where the template is registered (templates.ts for the kernel's,
// the domain's mail templates for the rest): adding a template without classing it does not compile.
export { type MailClass, mailClassOf };

/** pg-boss fetches higher priorities first, then oldest first. */
const PRIORITY: Record<MailClass, number> = { account: 20, team: 10, bulk: 0 };

export function priorityOf(mailClass: MailClass): number {
  return PRIORITY[mailClass];
}
