// Terminal colors for rendered transcript lines (the CLI's counterpart of the editor grammar).
// Only applied when the output is a terminal and NO_COLOR is not set.

const ESC = '\u001b[';
const paint = (code: string, s: string) => `${ESC}${code}m${s}${ESC}0m`;
const dim = (s: string) => paint('2', s);
const red = (s: string) => paint('31', s);
const green = (s: string) => paint('32', s);
const yellow = (s: string) => paint('33', s);
const cyan = (s: string) => paint('36', s);
const magenta = (s: string) => paint('35', s);

const LINE = /^(\d\d:\d\d:\d\d\.\d{3} )?(C: |S: |-- )(.*)$/;

/** Colors one rendered transcript line. Unknown shapes pass through unchanged. */
export function colorizeLine(line: string): string {
  const m = LINE.exec(line);
  if (!m) return line;
  const [, stamp = '', marker = '', rest = ''] = m;
  const time = stamp ? dim(stamp) : '';
  if (marker === '-- ') {
    if (rest.startsWith('error: ')) return time + red('-- ' + rest);
    if (rest.startsWith('warning: ')) return time + yellow('-- ' + rest);
    return time + magenta('-- ' + rest);
  }
  if (marker === 'C: ') return time + cyan('C: ') + rest.replace(/<redacted>/g, yellow('<redacted>'));
  return time + dim('S: ') + colorizeServerText(rest);
}

function colorizeServerText(text: string): string {
  // SMTP: 2xx/3xx good or continue, 4xx/5xx bad.
  const smtp = /^([2345])(\d\d)([ -])(.*)$/.exec(text);
  if (smtp) {
    const [, cls = '', rest2 = '', sep = '', tail = ''] = smtp;
    const code = cls + rest2;
    const colored =
      cls === '2' ? green(code) : cls === '3' ? cyan(code) : cls === '4' ? yellow(code) : red(code);
    return colored + sep + tail;
  }
  // POP3 status.
  if (text.startsWith('+OK')) return green('+OK') + text.slice(3);
  if (text.startsWith('-ERR')) return red('-ERR') + text.slice(4);
  // IMAP status after a tag or `*`.
  const imap = /^(\S+) (OK|NO|BAD|BYE|PREAUTH)\b(.*)$/.exec(text);
  if (imap) {
    const [, tag = '', status = '', tail = ''] = imap;
    const color = status === 'OK' || status === 'PREAUTH' ? green : status === 'NO' ? yellow : red;
    return `${tag} ${color(status)}${tail}`;
  }
  return text;
}

export function shouldColor(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env['NO_COLOR'];
}
