import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed SVG element: name, attributes, own text and children, in document order. */
export interface SvgNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: SvgNode[];
}

type Ordered = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
});

function toNode(entry: Ordered): SvgNode | undefined {
  const name = Object.keys(entry).find((key) => key !== ':@');
  if (name === undefined || name === '#text') {
    return undefined;
  }

  const raw = (entry[name] ?? []) as Ordered[];
  const text = raw
    .filter((child) => '#text' in child)
    .map((child) => String(child['#text']))
    .join('');
  const children = raw.map(toNode).filter((node): node is SvgNode => node !== undefined);

  return { name, attrs: (entry[':@'] ?? {}) as Record<string, string>, text, children };
}

/** Validates `svg` as well-formed XML and returns its root element; throws when it is not. */
export function parseSvg(svg: string): SvgNode {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) {
    throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
  }

  const root = (parser.parse(svg) as Ordered[]).map(toNode).find((node) => node !== undefined);
  if (root === undefined) {
    throw new Error('no root element');
  }

  return root;
}

/** Every element below `node` (itself included) for which `match` holds. */
export function findAll(node: SvgNode, match: (node: SvgNode) => boolean): SvgNode[] {
  const found = match(node) ? [node] : [];

  return [...found, ...node.children.flatMap((child) => findAll(child, match))];
}

/** Elements with class `name` among their classes. */
export function byClass(node: SvgNode, name: string): SvgNode[] {
  return findAll(node, (n) => (n.attrs.class ?? '').split(/\s+/).includes(name));
}

/** All text content below `node`, element by element. */
export function allText(node: SvgNode): string[] {
  return findAll(node, (n) => n.text !== '').map((n) => n.text);
}
