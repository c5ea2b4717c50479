// A QR code of a link, drawn on the server as inline SVG (uqr encodes; this draws): one path of the dark modules,
// a run of modules in a row one rectangle, presentation attributes only (no style attribute: the CSP forbids it).
import { encode } from 'uqr';
import { html, type SafeHtml } from '../dashboard/html.ts';

/** `text` as a QR code (error correction M, the standard 4-module quiet zone), `label` its accessible name. */
export function qrSvg(text: string, label: string, px = 200): SafeHtml {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  const runs: string[] = [];
  data.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      const start = x;
      while (x + 1 < size && row[x + 1]) x++;
      runs.push(`M${start} ${y}h${x - start + 1}v1H${start}z`);
    }
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="${label}" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${runs.join('')}"/></svg>`;
}
