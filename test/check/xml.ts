// A strict, tiny XML parser for the JUnit report: it throws on anything not well-formed (unclosed or
// crossed tags, unquoted or duplicate attributes, a raw `<` or `&`, unknown entities, control
// characters) and returns the element tree. No dependency, no DTDs: the report needs none.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  if (FORBIDDEN.test(raw)) throw new Error(`control character in ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${match}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
    if (num)
      return String.fromCodePoint(
        parseInt(num[1]!.startsWith('x') ? num[1]!.slice(1) : num[1]!, num[1]!.startsWith('x') ? 16 : 10),
      );
    throw new Error(`unknown entity &${entity}; in ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const rest = () => xml.slice(i);
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  if (rest().startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim()) throw new Error(`text outside the root element: ${raw.slice(0, 40)}`);
      } else parent.text += decode(raw, `<${parent.name}> text`);
      i = next < 0 ? xml.length : next;
      continue;
    }
    if (rest().startsWith('</')) {
      i += 2;
      const name = NAME.exec(rest())?.[0];
      const open = stack.pop();
      if (!name || !open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name}>`);
      i += name.length;
      skipSpace();
      if (xml[i] !== '>') throw new Error(`malformed </${name}>`);
      i++;
      continue;
    }
    i++;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new Error(`bad tag at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (rest().startsWith('/>') || xml[i] === '>') break;
      const attr = NAME.exec(rest())?.[0];
      if (!attr) throw new Error(`bad attribute in <${name}> at ${i}`);
      i += attr.length;
      skipSpace();
      if (xml[i] !== '=') throw new Error(`attribute ${attr} of <${name}> has no value`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") throw new Error(`attribute ${attr} of <${name}> is not quoted`);
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) throw new Error(`unterminated attribute ${attr}`);
      if (attr in el.attributes) throw new Error(`duplicate attribute ${attr} in <${name}>`);
      el.attributes[attr] = decode(xml.slice(i + 1, end), `${name}@${attr}`);
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (rest().startsWith('/>')) i += 2;
    else {
      i++;
      stack.push(el);
    }
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
