// The marks a drill leaves on the objects it changes (a cordoned node, a scaled deployment, a created ConfigMap), so a
// change left behind is told apart from one someone else made.
/** On a node the drill cordoned: the run that did it. Removed with the cordon. */
export const CORDONED_BY = 'kube-firedrill/cordoned-by';
/** On a deployment the drill scaled: the run that did it. Removed once the count is back where it was. */
export const SCALED_BY = 'kube-firedrill/scaled-by';
/** Annotation beside SCALED_BY: the replica count before the first drill-made change. */
export const REPLICAS_BEFORE = 'kube-firedrill/replicas-before';
/** On a ConfigMap the drill created: the run that did it. The object goes with its restore. */
export const CREATED_BY = 'kube-firedrill/created-by';

/** A run id as a label value: at most 63 characters of [A-Za-z0-9._-], starting and ending with a letter or digit. */
export function markValue(runId: string): string {
  const value = runId
    .replace(/[^\w.-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return value || 'unknown-run';
}
