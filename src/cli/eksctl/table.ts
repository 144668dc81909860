// eksctl's table output: Go's text/tabwriter with minwidth 0, tabwidth 8, padding 1 and '\t' as the
// pad character. A column is as wide as its widest cell plus one, rounded up to a tab stop, and each
// cell is followed by as many tabs as reach the next column.
const TAB_WIDTH = 8;

export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)) + 1);
  return all
    .map((r) =>
      r
        .map((cell, c) => {
          if (c === r.length - 1) return cell;
          const cellw = Math.ceil(widths[c] / TAB_WIDTH) * TAB_WIDTH;
          const tabs = Math.ceil((cellw - [...cell].length) / TAB_WIDTH);
          return cell + '\t'.repeat(tabs);
        })
        .join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}
