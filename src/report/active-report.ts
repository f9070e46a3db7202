// The report being collected right now, so a SIGINT/SIGTERM handler can write it before the process exits.

/** Writes the collected report marked partial with the reason; returns the path of its index.html. */
type PartialWriter = (reason: string) => string | undefined;

let active: PartialWriter | undefined;

/** The reporter registers itself at the start of a run and unregisters at its end. */
export function setActiveReport(writer: PartialWriter | undefined): void {
  active = writer;
}

/**
 * Writes what the current run collected so far (report.json, index.html, junit.xml and the history), marked
 * partial with the reason, e.g. "interrupted by SIGINT". Synchronous, so it is safe right before process.exit().
 * Returns the path of the run's index.html, or undefined when no run is being reported.
 */
export function writePartialReports(reason: string): string | undefined {
  return active?.(reason);
}
