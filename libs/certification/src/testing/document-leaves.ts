import { DOMParser } from '@xmldom/xmldom';

type Node = {
  nodeType: number;
  localName?: string | null;
  childNodes: ArrayLike<Node>;
  textContent?: string | null;
};

/**
 * Every leaf of a document as `path → text`, each step with its index among same-named siblings
 * (`Encabezado[0].IdDoc[0].TablaFormasPago[0].FormaDePago[1].FormaPago[0]`), below the root and
 * without the Signature. Test-side oracle for "every value of the row, nothing added".
 */
export function xmlLeaves(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out = new Map<string, string>();
  const elements = (n: Node): Node[] => Array.from(n.childNodes).filter((c) => c.nodeType === 1);
  const visit = (element: Node, prefix: string): void => {
    const counts = new Map<string, number>();
    for (const child of elements(element)) {
      const name = child.localName ?? '';
      if (name === 'Signature') continue;
      const i = counts.get(name) ?? 0;
      counts.set(name, i + 1);
      const path = `${prefix}${prefix ? '.' : ''}${name}[${i}]`;
      if (elements(child).length > 0) visit(child, path);
      else out.set(path, child.textContent ?? '');
    }
  };
  if (doc.documentElement) visit(doc.documentElement as unknown as Node, '');
  return out;
}

/** The same key for a path of steps (index 0 on every step that has none). */
export function stepsKey(steps: readonly { name: string; index?: number }[]): string {
  return steps.map((s) => `${s.name}[${s.index ?? 0}]`).join('.');
}
