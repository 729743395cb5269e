/**
 * What every report renderer is told besides the report. Its own module, so that the renderers and
 * render/index.ts (which imports them all) do not import each other.
 */
export interface RenderOptions {
  readonly color: boolean;
  readonly verbose: boolean;
  /** Terminal width for the table renderer. */
  readonly width?: number;
  /** Where the full report will be (GitHub annotations point at it). */
  readonly fullReportPath?: string;
  /**
   * The checkout root (`$GITHUB_WORKSPACE`): paths under it are written relative to it where the
   * consumer needs repository-relative paths (GitHub annotations, SARIF).
   */
  readonly workspace?: string;
}
