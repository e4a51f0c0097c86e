/**
 * Template variables: a string for `<?var?>` and `$NAME`, or rows for an element
 * marked `data-repeat="NAME"` (repeated once per row, the row's names beside the page's).
 */
export interface Vars {
  readonly [name: string]: string | Rows;
}
export type Rows = readonly Vars[];
