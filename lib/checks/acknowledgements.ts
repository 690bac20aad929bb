// Acknowledgements recorded with `Validations.of(scope).acknowledge({ id, reason })` above the
// stacks (the app, a Stage, a stack itself), read once per synth for the engine. Those inside a
// stack are in the cloud assembly's metadata already, which the engine reads with the templates.
import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Acknowledgement, acknowledgement } from '../core/acknowledgement';

/**
 * The acknowledgements recorded on the app, its Stages and its stacks (not below a stack), looked
 * up by construct path: `along(path)` gives those on each ancestor of `path` up to the app, closest first.
 */
export class TreeAcknowledgements {
  private readonly byPath = new Map<string, Acknowledgement[]>();

  constructor(root: IConstruct) {
    const visit = (c: IConstruct): void => {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
        const list = this.byPath.get(c.node.path) ?? [];
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) list.push(acknowledgement(id, reason, c.node.path));
        this.byPath.set(c.node.path, list);
      }
      // Inside a stack, the assembly's metadata has them: thousands of alarms need not be walked.
      if (!Stack.isStack(c)) for (const child of c.node.children) visit(child);
    };
    visit(root);
  }

  /** Those on `path` and each ancestor, closest first (`` is the app). */
  public along(path: string | undefined): Acknowledgement[] {
    if (this.byPath.size === 0) return [];
    const out: Acknowledgement[] = [];
    let p = (path ?? '').replace(/^\/+/, '');
    for (;;) {
      out.push(...(this.byPath.get(p) ?? []));
      if (p === '') return out;
      const slash = p.lastIndexOf('/');
      p = slash < 0 ? '' : p.slice(0, slash);
    }
  }
}
