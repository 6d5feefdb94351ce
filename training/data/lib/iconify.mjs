// Builds a standalone SVG document from an Iconify JSON icon set entry.
import { readFileSync } from 'node:fs';

/** @param {string} dir the package folder (holds icons.json and info.json) */
export function loadIconifySet(dir) {
  const set = JSON.parse(readFileSync(`${dir}/icons.json`, 'utf8'));
  const info = JSON.parse(readFileSync(`${dir}/info.json`, 'utf8'));
  return { set, info };
}

/**
 * Iconify icons inherit left/top/width/height from the set and may be flipped or rotated
 * (rotate counts quarter turns); the document is sized to `pixels` on its longer side so that
 * librsvg rasterises it at that size directly.
 * @param {any} set @param {string} name @param {number} pixels
 */
export function iconifySvg(set, name, pixels) {
  const icon = set.icons[name];
  if (!icon) throw new Error(`no icon ${name}`);
  const left = icon.left ?? set.left ?? 0;
  const top = icon.top ?? set.top ?? 0;
  const width = icon.width ?? set.width ?? 16;
  const height = icon.height ?? set.height ?? 16;
  let body = icon.body;
  const transforms = [];
  const cx = left + width / 2;
  const cy = top + height / 2;
  if (icon.hFlip) transforms.push(`translate(${2 * cx} 0) scale(-1 1)`);
  if (icon.vFlip) transforms.push(`translate(0 ${2 * cy}) scale(1 -1)`);
  const turns = ((icon.rotate ?? 0) % 4 + 4) % 4;
  if (turns) transforms.push(`rotate(${turns * 90} ${cx} ${cy})`);
  if (transforms.length) body = `<g transform="${transforms.join(' ')}">${body}</g>`;
  const scale = pixels / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="${left} ${top} ${width} ${height}">${body}</svg>`;
}

/**
 * Rewrites a plain SVG file's outer size so that it rasterises at `pixels` on its longer side.
 * @param {string} svg @param {number} pixels
 */
export function resizeSvgDocument(svg, pixels) {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error('not an SVG document');
  const tag = open[0];
  const vb = /viewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([-\d.]+)[\s,]+([-\d.]+)\s*"/.exec(tag);
  const vw = vb ? Number(vb[3]) : Number(/\bwidth="([\d.]+)/.exec(tag)?.[1] ?? 24);
  const vh = vb ? Number(vb[4]) : Number(/\bheight="([\d.]+)/.exec(tag)?.[1] ?? 24);
  const scale = pixels / Math.max(vw, vh);
  let next = tag.replace(/\s(width|height)="[^"]*"/g, '');
  if (!vb) next = next.replace('<svg', `<svg viewBox="0 0 ${vw} ${vh}"`);
  next = next.replace('<svg', `<svg width="${Math.round(vw * scale)}" height="${Math.round(vh * scale)}"`);
  return svg.replace(tag, next);
}
