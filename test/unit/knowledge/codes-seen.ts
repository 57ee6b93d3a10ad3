// Collects the protocol elements a server sent: SMTP reply codes, enhanced status codes and EHLO
// keywords; IMAP response codes, status words, untagged kinds and capabilities; POP3 response codes
// and CAPA tags. Used to check the knowledge base covers every one the test suite meets.

export interface SeenCodes {
  readonly smtpReplies: Set<string>;
  readonly enhanced: Set<string>;
  readonly smtpKeywords: Set<string>;
  readonly imapCodes: Set<string>;
  readonly imapResponses: Set<string>;
  readonly imapCapabilities: Set<string>;
  readonly pop3Codes: Set<string>;
  readonly pop3Capabilities: Set<string>;
}

export function emptySeen(): SeenCodes {
  return {
    smtpReplies: new Set(),
    enhanced: new Set(),
    smtpKeywords: new Set(),
    imapCodes: new Set(),
    imapResponses: new Set(),
    imapCapabilities: new Set(),
    pop3Codes: new Set(),
    pop3Capabilities: new Set(),
  };
}

/** `lines` are the server's lines in order (client lines are ignored by the caller). */
export function collectSmtp(lines: readonly string[], seen: SeenCodes): void {
  let inEhlo = false;
  for (const line of lines) {
    const m = /^(\d{3})([ -])(.*)$/.exec(line);
    if (!m) continue;
    const [, code = '', sep, text = ''] = m;
    seen.smtpReplies.add(code);
    const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
    if (enhanced?.[1]) seen.enhanced.add(enhanced[1]);
    // EHLO keywords: the lines after the first of a multi-line 250 reply.
    if (code === '250' && inEhlo) {
      const keyword = /^([A-Za-z0-9][A-Za-z0-9-]*)/.exec(text)?.[1];
      if (keyword) seen.smtpKeywords.add(keyword.toUpperCase());
    }
    inEhlo = code === '250' && sep === '-';
  }
}

export function collectImap(lines: readonly string[], seen: SeenCodes): void {
  for (const line of lines) {
    const status =
      /^(?:\*|[A-Za-z0-9.]+) (OK|NO|BAD|BYE|PREAUTH)\b(?: \[([A-Za-z0-9-]+)(?: ([^\]]*))?\])?/.exec(line);
    if (status) {
      seen.imapResponses.add(status[1] ?? '');
      if (status[2]) {
        seen.imapCodes.add(status[2].toUpperCase());
        if (status[2].toUpperCase() === 'CAPABILITY')
          for (const c of (status[3] ?? '').split(' ').filter(Boolean)) seen.imapCapabilities.add(c);
      }
    }
    const untagged = /^\* (?:\d+ )?([A-Z]+)\b(.*)$/.exec(line);
    if (untagged && !status) {
      seen.imapResponses.add(untagged[1] ?? '');
      if (untagged[1] === 'CAPABILITY')
        for (const c of (untagged[2] ?? '').split(' ').filter(Boolean)) seen.imapCapabilities.add(c);
    }
  }
}

export function collectPop3(
  lines: readonly string[],
  seen: SeenCodes,
  capaReplies: readonly string[][],
): void {
  for (const line of lines) {
    const m = /^[+-](?:OK|ERR) \[([A-Za-z/-]+)/.exec(line);
    if (m?.[1]) seen.pop3Codes.add(m[1].toUpperCase());
  }
  for (const reply of capaReplies)
    for (const line of reply.slice(1)) {
      if (line === '.') break;
      const tag = line.split(' ')[0];
      if (tag) seen.pop3Capabilities.add(tag.toUpperCase());
    }
}
