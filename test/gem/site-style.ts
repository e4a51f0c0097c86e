/** A site's own look for the gate's pages: an XSLT wrapping them in its layout, and its stylesheet. */

/** Served without the gate, as a site's public assets are. */
export const STYLE_LOCATION = `
<Location /style>
  AuthnzFcgiCheckAuthnProvider None
  Require all granted
  RewriteEngine Off
</Location>
AddType text/xsl .xsl
`;

export const SITE_CSS = '#site-banner { color: rgb(1, 2, 3); font-weight: bold; }\n';

/** Keeps the page's title and <main>, adds the site's banner and stylesheet. */
export const TRANSFORM_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:h="http://www.w3.org/1999/xhtml" xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="h">
  <xsl:output method="xml" encoding="utf-8"/>
  <xsl:template match="/">
    <html>
      <head>
        <title><xsl:value-of select="/h:html/h:head/h:title"/></title>
        <link rel="stylesheet" href="/style/site.css"/>
      </head>
      <body>
        <div id="site-banner">Example Site</div>
        <xsl:copy-of select="/h:html/h:body/h:main"/>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
