export { escapeHtml } from './html.ts';
export { createMailer, type Mailer, type MailerOptions, type OutgoingMail } from './mailer.ts';
export {
  isOutboxId,
  listOutbox,
  type OutboxItem,
  type OutboxPage,
  readOutboxItem,
  readOutboxRaw,
  resealOutbox,
} from './outbox.ts';
export {
  type MailTemplate,
  type MailTemplateVars,
  type MfaChange,
  type RenderedMail,
  renderMail,
} from './templates.ts';
