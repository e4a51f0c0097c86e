/** The lifetimes the account page offers for a new app password (the CLI takes any duration). */
export const APP_PASSWORD_LIFETIMES: ReadonlyArray<{
  readonly value: 'P30D' | 'P90D' | 'P1Y';
  readonly text: string;
  readonly seconds: number;
}> = [
  { value: 'P30D', text: '30 days', seconds: 30 * 86_400 },
  { value: 'P90D', text: '90 days', seconds: 90 * 86_400 },
  { value: 'P1Y', text: '1 year', seconds: 365 * 86_400 },
];
