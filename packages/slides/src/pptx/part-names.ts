/** OPC part-name arithmetic: zip entry names have no leading slash, relationship targets are relative. */

export function directoryOf(partName: string): string {
  const slash = partName.lastIndexOf('/');
  return slash < 0 ? '' : partName.slice(0, slash);
}

/** 'ppt/slides/slide1.xml' → 'ppt/slides/_rels/slide1.xml.rels'; the package's own rels for ''. */
export function relsPartFor(partName: string): string {
  if (partName === '') return '_rels/.rels';
  const dir = directoryOf(partName);
  const file = partName.slice(dir.length === 0 ? 0 : dir.length + 1);
  return `${dir === '' ? '' : `${dir}/`}_rels/${file}.rels`;
}

/** Resolves a relationship target written in `sourcePart`'s rels to a zip entry name. */
export function resolveTarget(sourcePart: string, target: string): string {
  const clean = decodeURI(target.split('#')[0] ?? '');
  const segments = clean.startsWith('/') ? [] : directoryOf(sourcePart).split('/').filter(Boolean);
  for (const segment of clean.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** The relative target from `sourcePart` to `targetPart`, as PowerPoint writes it ('../media/image1.png'). */
export function relativeTarget(sourcePart: string, targetPart: string): string {
  const from = directoryOf(sourcePart).split('/').filter(Boolean);
  const to = targetPart.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}
