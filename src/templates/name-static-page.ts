import { escapeText } from './escape-xml.js';

/** Where the packaged logged-out pages name the site, as in the templates (`<?var $SITE_NAME?>`). */
const NAME = '<?var $SITE_NAME?>';

/**
 * The logged-out pages are files a web server sends as they are (Apache's Alias, lighttpd), so
 * the site's name is put in when they are written (`forgetpw extract --static --site-name`) or
 * served (the HTTP listener, per request): a page that names the site is one people trust
 * (issue 15, item 6). Without a name the heading's site line and the title's ` · SITE` go, so
 * an unnamed copy reads as before rather than with a hole in it.
 */
export function nameStaticPage(page: string, name: string | undefined): string {
  if (name !== undefined && name.trim() !== '') return page.replaceAll(NAME, escapeText(name));
  return page
    .replaceAll(`<span class="site">${NAME}</span> `, '')
    .replaceAll(` · ${NAME}`, '')
    .replaceAll(NAME, '');
}
