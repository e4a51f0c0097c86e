import type { StateName } from '../templates/states.js';
import type { Vars } from './vars.js';

export interface RenderOptions {
  /** The request's Accept header ('' when absent). */
  readonly accept: string;
  /** DOCUMENT_ROOT for per-site overrides in $DOCUMENT_ROOT/.forgetpw/. */
  readonly documentRoot: string | undefined;
  /** <base href> (the request URL for pages). */
  readonly base: string | undefined;
  /** The language negotiated for the request (requestLanguage); English when not given. */
  readonly language?: string;
  /** The site, for its own template set (templates.sites). */
  readonly host?: string;
}

/** Which set a mail comes from: the language of the browser that asked, and the site. */
export interface MailWhere {
  readonly language?: string;
  readonly host?: string;
}

export interface RenderedPage {
  readonly contentType: string;
  readonly body: Buffer;
  /** The language the template is written in (Content-Language); English when a translation was missing. */
  readonly language: string;
}

export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly language: string;
}

export interface Pages {
  /** The template's own serialisation for the request's Accept header. */
  page(state: StateName, vars: Vars, options: RenderOptions): RenderedPage;
  /**
   * The page as the daemon serves it: `page()`, or with `templates.transform_on: server`
   * the site's XSLT applied to its XHTML and the result served as HTML.
   */
  serve(state: StateName, vars: Vars, options: RenderOptions): Promise<RenderedPage>;
  /** The link mail, or another mail template (`state`, e.g. the app-password reveal mail). */
  mail(vars: Vars, documentRoot: string | undefined, state?: StateName, where?: MailWhere): RenderedMail;
}
