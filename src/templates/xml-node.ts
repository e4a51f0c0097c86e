/**
 * The small XML tree the template engine works on. It keeps what Nokogiri kept
 * for the original gem and a general-purpose parser may lose: processing
 * instructions in place and attributes in source order.
 */
export interface XmlElement {
  readonly kind: 'element';
  /** Qualified name as written (`html`, `xhtml:p`). */
  readonly name: string;
  readonly attributes: ReadonlyArray<readonly [name: string, value: string]>;
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
}

export interface XmlPi {
  readonly kind: 'pi';
  readonly target: string;
  readonly data: string;
}

export interface XmlComment {
  readonly kind: 'comment';
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText | XmlPi | XmlComment;

export interface XmlDocument {
  /** Comments and processing instructions before the root (the XML declaration excluded). */
  readonly prolog: ReadonlyArray<XmlPi | XmlComment>;
  readonly root: XmlElement;
}

/** `xhtml:p` -> `p`; HTML rules key on local names. */
export function localName(element: XmlElement): string {
  return element.name.slice(element.name.indexOf(':') + 1);
}
