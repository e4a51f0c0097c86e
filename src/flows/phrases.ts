/**
 * The few words the flows put into pages themselves (account rows, problems, the limits
 * note), per language. Everything else a person reads is in the templates. German and
 * French strings: the `de` and `fr` entries here and the units in duration-text.ts. A
 * language without an entry gets English.
 */
export interface Phrases {
  readonly never: string;
  readonly unknown: string;
  readonly thisBrowser: string;
  readonly everySite: string;
  /** An app password's site when it works on all of them (reveal page and mail). */
  readonly everySiteYouMayUse: string;
  readonly expired: string;
  readonly active: string;
  readonly linkExpired: string;
  readonly waiting: string;
  readonly unknownAction: string;
  readonly badLabel: string;
  readonly chooseLifetime: string;
  /** The note on the "check your mail" page: at most `count` links per `window` (a durationText). */
  limits(count: number, window: string): string;
  /** The wrong-code page: how many more codes this request takes (`left` ≥ 1). */
  triesLeft(left: number): string;
  /** An app password lifetime offered on the account page. */
  lifetime(value: 'P30D' | 'P90D' | 'P1Y'): string;
}

const EN: Phrases = {
  never: 'never',
  unknown: 'unknown',
  thisBrowser: 'this browser',
  everySite: 'every site',
  everySiteYouMayUse: 'every site you may use',
  expired: 'expired',
  active: 'active',
  linkExpired: 'link expired, never revealed',
  waiting: 'waiting: reveal it from the mail',
  unknownAction: 'The form sent an action this page does not know.',
  badLabel:
    'A label is 1 to 64 letters, digits, spaces and plain punctuation (no < > & or quotes), for example "feed reader".',
  chooseLifetime: 'Choose one of the lifetimes the form offers.',
  limits: (count, window) => `You can ask for up to ${count} links every ${window}.`,
  triesLeft: (left) => (left === 1 ? '1 more try' : `${left} more tries`),
  lifetime: (value) => ({ P30D: '30 days', P90D: '90 days', P1Y: '1 year' })[value],
};

const DE: Phrases = {
  never: 'nie',
  unknown: 'unbekannt',
  thisBrowser: 'dieser Browser',
  everySite: 'alle Websites',
  everySiteYouMayUse: 'alle Websites, die Sie nutzen dürfen',
  expired: 'abgelaufen',
  active: 'aktiv',
  linkExpired: 'Link abgelaufen, nie angezeigt',
  waiting: 'wartet: über den Link in der E-Mail anzeigen',
  unknownAction: 'Das Formular hat eine Aktion geschickt, die diese Seite nicht kennt.',
  badLabel:
    'Eine Bezeichnung hat 1 bis 64 Buchstaben, Ziffern, Leerzeichen und einfache Satzzeichen (kein < > & und keine Anführungszeichen), zum Beispiel „Feedreader“.',
  chooseLifetime: 'Wählen Sie eine der Laufzeiten, die das Formular anbietet.',
  limits: (count, window) => `Sie können innerhalb von ${window} bis zu ${count} Links anfordern.`,
  triesLeft: (left) => (left === 1 ? '1 Versuch' : `${left} Versuche`),
  lifetime: (value) => ({ P30D: '30 Tage', P90D: '90 Tage', P1Y: '1 Jahr' })[value],
};

const FR: Phrases = {
  never: 'jamais',
  unknown: 'inconnue',
  thisBrowser: 'ce navigateur',
  everySite: 'tous les sites',
  everySiteYouMayUse: 'tous les sites auxquels vous avez accès',
  expired: 'expiré',
  active: 'actif',
  linkExpired: 'lien expiré, jamais affiché',
  waiting: 'en attente : affichez-le depuis l’e-mail',
  unknownAction: 'Le formulaire a envoyé une action que cette page ne connaît pas.',
  badLabel:
    'Un nom compte de 1 à 64 lettres, chiffres, espaces et signes de ponctuation simples (ni < > & ni guillemets), par exemple « lecteur de flux ».',
  chooseLifetime: 'Choisissez l’une des durées proposées par le formulaire.',
  limits: (count, window) => `Vous pouvez demander jusqu’à ${count} liens par période de ${window}.`,
  triesLeft: (left) => (left === 1 ? '1 essai' : `${left} essais`),
  lifetime: (value) => ({ P30D: '30 jours', P90D: '90 jours', P1Y: '1 an' })[value],
};

const BY_LANGUAGE: Readonly<Record<string, Phrases>> = { en: EN, de: DE, fr: FR };

export function phrases(language: string): Phrases {
  return BY_LANGUAGE[language] ?? EN;
}
