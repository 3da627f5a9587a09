import type { z } from 'zod';

/** What a template renders to. Plain text: links stay whole and nothing needs HTML escaping. */
export type RenderedMail = { subject: string; text: string };

/**
 * A kind of mail. `params` is what the outbox row stores (display data and ids, never a token or
 * a secret), validated when the mail is queued and again when it is rendered at send time;
 * `render` may derive what must not be stored (a link's token) from them.
 */
export type MailTemplate<P extends object> = {
  /** Stored with each mail: lower-case, e.g. "household-invitation". */
  name: string;
  params: z.ZodType<P>;
  render: (params: P) => RenderedMail | Promise<RenderedMail>;
};

export function defineMailTemplate<P extends object>(template: MailTemplate<P>): MailTemplate<P> {
  if (!/^[a-z][a-z0-9_.-]*$/.test(template.name)) throw new TypeError(`Mail template name "${template.name}" must be lower-case`);
  return template;
}

/** A template with its parameter type erased, as the sender looks it up by the stored name. */
export type StoredTemplateRenderer = (params: unknown) => Promise<RenderedMail>;

export function rendererOf<P extends object>(template: MailTemplate<P>): StoredTemplateRenderer {
  return async (params) => template.render(template.params.parse(params));
}
